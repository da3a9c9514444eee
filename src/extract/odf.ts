// OpenDocument (odt/ods/odp/odg and the old .odf formula type): meta.xml and content.xml text.
import type { Json } from '../model.js';
import { assignDefined, emptyExtraction, errorMessage, setText, str, toJson } from './common.js';
import { minutesFromIsoDuration, normaliseDateString } from './dates.js';
import type { ExtractOptions, Extraction, Extractor, OdfForensics } from './types.js';
import { asArray, decodeEntities, nodeText, parseXml, xmlText } from './xml.js';
import { readZip, type ZipContents } from './zip.js';

export const ODF_TYPES = [
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.text-template',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.spreadsheet-template',
  'application/vnd.oasis.opendocument.presentation',
  'application/vnd.oasis.opendocument.presentation-template',
  'application/vnd.oasis.opendocument.graphics',
  'application/vnd.oasis.opendocument.formula',
  'application/vnd.oasis.opendocument.chart',
  'application/vnd.sun.xml.writer',
] as const;

function readMeta(xml: string, ex: Extraction): void {
  const doc = parseXml(xml);
  const root = doc['document-meta'] as Record<string, unknown> | undefined;
  const meta = (root?.['meta'] ?? {}) as Record<string, unknown>;
  const raw: { [k: string]: Json } = {};
  const user: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(meta)) {
    if (k === 'user-defined') {
      for (const u of asArray(v as unknown)) {
        const o = (u ?? {}) as Record<string, unknown>;
        const name = str(o['@name']);
        if (name) user[name] = nodeText(o) ?? '';
      }
    } else if (k === 'document-statistic' || k === 'template') raw[k] = toJson(v);
    else raw[k] = nodeText(v) ?? toJson(v);
  }
  if (Object.keys(user).length) raw['user-defined'] = user;
  const version = (root?.['@version'] as string | undefined) ?? undefined;
  if (version) raw['office:version'] = version;
  ex.metadata.raw['meta.xml'] = raw;
  const s = (k: string): string | undefined => str(typeof raw[k] === 'string' ? raw[k] : undefined);
  const stats = (meta['document-statistic'] ?? {}) as Record<string, unknown>;
  const num = (k: string): number | undefined => {
    const v = str(stats[k]);
    return v && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const template = (meta['template'] ?? {}) as Record<string, unknown>;
  const generator = s('generator');
  assignDefined(ex.metadata, {
    title: s('title'),
    subject: s('subject'),
    keywords: asArray(meta['keyword'] as unknown).map((k) => nodeText(k)).filter(Boolean).join(', ') || undefined,
    comments: s('description'),
    // ODF: initial-creator wrote it first; dc:creator is whoever saved last.
    author: s('initial-creator') ?? s('creator'),
    lastModifiedBy: s('initial-creator') ? s('creator') : undefined,
    created: normaliseDateString(s('creation-date')),
    modified: normaliseDateString(s('date')),
    printed: normaliseDateString(s('print-date')),
    revision: s('editing-cycles'),
    totalEditMinutes: minutesFromIsoDuration(s('editing-duration')),
    application: generator,
    template: str(template['@title']) ?? str(template['@href']),
    pageCount: num('@page-count'),
    wordCount: num('@word-count'),
    languages: s('language') ? [s('language') as string] : undefined,
  });
}

const TRACKED_TYPES = { insertion: 'ins', deletion: 'del', 'format-change': 'format' } as const;

/** The author and date written in an element's `dc:creator` / `dc:date` children. */
function changeInfo(xml: string): { author?: string; date?: string } {
  const author = /<dc:creator>([^<]*)<\/dc:creator>/.exec(xml)?.[1];
  const date = /<dc:date>([^<]*)<\/dc:date>/.exec(xml)?.[1];
  return { ...(author?.trim() ? { author: decodeEntities(author.trim()) } : {}), ...(date?.trim() ? { date: date.trim() } : {}) };
}

/** Tracked changes (even when recording is switched off, past changes stay listed) and annotations of content.xml. */
export function odfForensics(xml: string): OdfForensics {
  const trackedChanges: OdfForensics['trackedChanges'] = [];
  for (const m of xml.matchAll(/<text:(insertion|deletion|format-change)>([\s\S]*?)<\/text:\1>/g)) {
    trackedChanges.push({ type: TRACKED_TYPES[m[1] as keyof typeof TRACKED_TYPES], ...changeInfo(m[2] ?? '') });
  }
  const comments = [...xml.matchAll(/<office:annotation\b[^>]*>([\s\S]*?)<\/office:annotation>/g)].map((m) => changeInfo(m[1] ?? ''));
  return { trackedChanges, comments };
}

/** content.xml text: character data of the body, a newline per paragraph/heading, `text:s`/`tab` expanded. */
export function odfText(xml: string): string {
  // Change-tracking records (author, date, deleted text) are metadata, not the visible text.
  const body = (/<office:body\b[\s\S]*<\/office:body>/.exec(xml)?.[0] ?? xml)
    .replace(/<text:tracked-changes\b[\s\S]*?<\/text:tracked-changes>/g, '')
    .replace(/<office:change-info\b[\s\S]*?<\/office:change-info>/g, '');
  const parts: string[] = [];
  for (const m of body.matchAll(/<(\/?)([\w.-]+:[\w.-]+)([^>]*)>|([^<]+)/g)) {
    const [, close, tag, rest, chars] = m;
    if (chars !== undefined) parts.push(decodeEntities(chars));
    else if (close && (tag === 'text:p' || tag === 'text:h')) parts.push('\n');
    else if (!close && tag === 'text:s') parts.push(' '.repeat(Math.min(100, Number(/text:c="(\d+)"/.exec(rest ?? '')?.[1] ?? 1))));
    else if (!close && tag === 'text:tab') parts.push('\t');
    else if (!close && tag === 'text:line-break') parts.push('\n');
    else if (close && tag === 'table:table-cell') parts.push('\t');
  }
  return parts.join('');
}

export async function extractOdf(bytes: Buffer, opts: ExtractOptions = {}): Promise<Extraction> {
  const ex = emptyExtraction();
  let zip: ZipContents;
  try {
    zip = await readZip(bytes, (n) => n === 'meta.xml' || n === 'content.xml' || n === 'META-INF/manifest.xml' || n === 'mimetype');
  } catch (err) {
    ex.problems.push(`not a readable OpenDocument package (ZIP): ${errorMessage(err)}`);
    return ex;
  }
  ex.problems.push(...zip.problems);
  const manifest = zip.files.get('META-INF/manifest.xml');
  if (manifest && /encryption-data/.test(xmlText(manifest))) {
    ex.encrypted = true;
    ex.problems.push('password-protected OpenDocument: content.xml is encrypted, text not read');
  }
  const meta = zip.files.get('meta.xml');
  if (meta) {
    try {
      readMeta(xmlText(meta), ex);
    } catch (err) {
      ex.problems.push(`meta.xml: ${errorMessage(err)}`);
    }
  } else ex.problems.push('no meta.xml in the package');
  const content = zip.files.get('content.xml');
  if (content && !ex.encrypted) {
    const xml = xmlText(content);
    const f = odfForensics(xml);
    if (f.trackedChanges.length || f.comments.length) ex.odf = f;
    if (opts.text !== false) setText(ex, odfText(xml));
  }
  return ex;
}

export const odfExtractor: Extractor = {
  name: 'odf',
  mediaTypes: ODF_TYPES,
  extract: (bytes, _type, _name, opts) => extractOdf(bytes, opts),
};
