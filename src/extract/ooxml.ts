// OOXML (docx/xlsx/pptx and macro/template variants): OPC properties, Word forensics (languages,
// rsids, tracked changes, comments), Excel last save path and cell values, and body text.
import { assignDefined, emptyExtraction, errorMessage, setText } from './common.js';
import { readAppXml, readCoreXml, readCustomXml } from './ooxml-props.js';
import { cellsAsText, runText, sharedStrings, sheetCells } from './ooxml-text.js';
import type { CellValue, ExtractOptions, Extraction, Extractor, OoxmlForensics } from './types.js';
import { decodeEntities, parseAttributes, scanTags, xmlText } from './xml.js';
import { readZip, type ZipContents } from './zip.js';

export const OOXML_TYPES = [
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.template',
  'application/vnd.ms-word.document.macroenabled.12',
  'application/vnd.ms-word.template.macroenabled.12',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.template',
  'application/vnd.ms-excel.sheet.macroenabled.12',
  'application/vnd.ms-excel.template.macroenabled.12',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.openxmlformats-officedocument.presentationml.template',
  'application/vnd.openxmlformats-officedocument.presentationml.slideshow',
  'application/vnd.ms-powerpoint.presentation.macroenabled.12',
  'application/vnd.ms-powerpoint.slideshow.macroenabled.12',
] as const;

const WANTED = /^(_rels\/\.rels|docProps\/.*\.xml|word\/(document|settings|comments|styles|footnotes|endnotes|header\d*|footer\d*)\.xml|xl\/(workbook|sharedStrings)\.xml|xl\/_rels\/workbook\.xml\.rels|xl\/worksheets\/[^/]+\.xml|xl\/comments\d*\.xml|ppt\/slides\/slide\d+\.xml|ppt\/notesSlides\/notesSlide\d+\.xml|ppt\/commentAuthors\.xml|ppt\/comments\/[^/]+\.xml)$/;

function part(zip: ZipContents, name: string): string | undefined {
  const b = zip.files.get(name);
  return b ? xmlText(b) : undefined;
}

const byNumber = (a: string, b: string): number =>
  Number(/(\d+)\.xml$/.exec(a)?.[1] ?? 0) - Number(/(\d+)\.xml$/.exec(b)?.[1] ?? 0);

export async function extractOoxml(bytes: Buffer, opts: ExtractOptions = {}): Promise<Extraction> {
  const withText = opts.text !== false;
  const ex = emptyExtraction();
  let zip: ZipContents;
  try {
    zip = await readZip(bytes, (n) => WANTED.test(n));
  } catch (err) {
    ex.problems.push(`not a readable OOXML package (ZIP): ${errorMessage(err)}`);
    return ex;
  }
  ex.problems.push(...zip.problems);
  readProperties(zip, ex);
  try {
    if (zip.files.has('word/document.xml')) readWord(zip, ex, withText);
    else if (zip.files.has('xl/workbook.xml')) readExcel(zip, ex, withText);
    else if (zip.names.some((n) => n.startsWith('ppt/'))) readPowerPoint(zip, ex, withText);
    else ex.problems.push('no word/, xl/ or ppt/ main part: not an Office Open XML document body');
  } catch (err) {
    ex.problems.push(`body could not be read: ${errorMessage(err)}`);
  }
  if (zip.names.some((n) => n.startsWith('_xmlsignatures/'))) ex.metadata.raw['signatures'] = true;
  return ex;
}

function readProperties(zip: ZipContents, ex: Extraction): void {
  const sources: [string, string, (x: string) => void][] = [
    ['docProps/core.xml', 'core.xml', (x) => {
      const r = readCoreXml(x);
      ex.metadata.raw['core.xml'] = r.raw;
      assignDefined(ex.metadata, r.meta);
    }],
    ['docProps/app.xml', 'app.xml', (x) => {
      const r = readAppXml(x);
      ex.metadata.raw['app.xml'] = r.raw;
      assignDefined(ex.metadata, r.meta);
    }],
    ['docProps/custom.xml', 'custom.xml', (x) => {
      ex.metadata.raw['custom.xml'] = readCustomXml(x);
    }],
  ];
  for (const [path, label, read] of sources) {
    const x = part(zip, path);
    if (x === undefined) continue;
    try {
      read(x);
    } catch (err) {
      ex.problems.push(`${label}: ${errorMessage(err)}`);
    }
  }
}

function countLanguages(xmls: string[], tag: string | null): { lang: string; count: number }[] {
  const counts = new Map<string, number>();
  const add = (v: string | undefined): void => {
    if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  };
  for (const x of xmls) {
    if (tag) {
      for (const a of scanTags(x, tag)) {
        add(a['w:val']);
        add(a['w:eastAsia']);
        add(a['w:bidi']);
      }
    } else for (const m of x.matchAll(/\slang="([^"]+)"/g)) add(m[1]);
  }
  return [...counts].map(([lang, count]) => ({ lang, count })).sort((a, b) => b.count - a.count || a.lang.localeCompare(b.lang));
}

function forensics(languages: { lang: string; count: number }[]): OoxmlForensics {
  return { languages, rsids: [], rsidCount: 0, trackedChanges: [], comments: [] };
}

function readWord(zip: ZipContents, ex: Extraction, withText: boolean): void {
  const doc = part(zip, 'word/document.xml') ?? '';
  const extras = [...zip.files.keys()].filter((n) => /^word\/(header|footer|footnotes|endnotes)\d*\.xml$/.test(n)).sort();
  const bodies = [doc, ...extras.map((n) => part(zip, n) ?? '')];
  const styles = part(zip, 'word/styles.xml');
  const f = forensics(countLanguages(styles ? [...bodies, styles] : bodies, 'w:lang'));

  const settings = part(zip, 'word/settings.xml');
  const listed = settings ? scanTags(settings, 'w:rsid').map((a) => a['w:val']).filter((v): v is string => !!v) : [];
  if (listed.length) f.rsids = [...new Set(listed)];
  else {
    // No settings list: fall back to the distinct session ids seen on the body's elements.
    const seen = new Set<string>();
    for (const b of bodies) for (const m of b.matchAll(/\bw:rsid\w*="([0-9A-Fa-f]{8})"/g)) if (m[1]) seen.add(m[1].toUpperCase());
    f.rsids = [...seen].sort();
  }
  f.rsidCount = f.rsids.length;

  for (const b of bodies) {
    for (const m of b.matchAll(/<w:(ins|del)(?=[\s>/])([^>]*)>/g)) {
      const a = parseAttributes(m[2] ?? '');
      const change: OoxmlForensics['trackedChanges'][number] = { type: m[1] === 'ins' ? 'ins' : 'del' };
      if (a['w:author']) change.author = a['w:author'];
      if (a['w:date']) change.date = a['w:date'];
      f.trackedChanges.push(change);
    }
  }
  const comments = part(zip, 'word/comments.xml');
  if (comments) {
    for (const a of scanTags(comments, 'w:comment')) {
      const c: OoxmlForensics['comments'][number] = {};
      if (a['w:author']) c.author = a['w:author'];
      if (a['w:date']) c.date = a['w:date'];
      if (a['w:initials']) c.initials = a['w:initials'];
      f.comments.push(c);
    }
  }
  ex.ooxml = f;
  if (f.languages.length) ex.metadata.languages = f.languages.map((l) => l.lang);
  if (!withText) return;
  const text = [runText(doc), ...extras.map((n) => runText(part(zip, n) ?? '')), comments ? runText(comments) : ''];
  setText(ex, text.filter(Boolean).join('\n'));
}

function readExcel(zip: ZipContents, ex: Extraction, withText: boolean): void {
  const wb = part(zip, 'xl/workbook.xml') ?? '';
  const f = forensics([]);
  const abs = /<(?:\w+:)?absPath\b[^>]*\burl="([^"]*)"/.exec(wb)?.[1];
  if (abs) f.lastSavePath = decodeEntities(abs);

  const rels = new Map<string, string>();
  for (const a of scanTags(part(zip, 'xl/_rels/workbook.xml.rels') ?? '', 'Relationship')) {
    if (a['Id'] && a['Target']) rels.set(a['Id'], a['Target'].replace(/^\/?(xl\/)?/, 'xl/'));
  }
  const shared = sharedStrings(part(zip, 'xl/sharedStrings.xml') ?? '');
  const cells: CellValue[] = [];
  const texts: string[] = [];
  const sheetTags = [...wb.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)].map((m) => parseAttributes(m[1] ?? ''));
  for (const a of withText ? sheetTags : []) {
    const name = a['name'] ?? '';
    const rid = Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1];
    const target = rid ? rels.get(rid) : undefined;
    const xml = target ? part(zip, target) : undefined;
    if (xml === undefined) {
      if (target?.includes('worksheets/')) ex.problems.push(`sheet "${name}": part ${target} missing`);
      continue;
    }
    const sc = sheetCells(xml, name, shared);
    cells.push(...sc);
    texts.push(`${name}\n${cellsAsText(sc)}`);
  }
  const commentAuthors = [...zip.files.keys()].filter((n) => /^xl\/comments\d*\.xml$/.test(n));
  for (const n of commentAuthors) {
    const x = part(zip, n) ?? '';
    for (const m of x.matchAll(/<(?:\w+:)?author>([^<]*)<\/(?:\w+:)?author>/g)) f.comments.push({ author: decodeEntities(m[1] ?? '') });
  }
  ex.ooxml = f;
  if (!withText) return;
  ex.cells = cells;
  setText(ex, texts.join('\n\n'));
}

function readPowerPoint(zip: ZipContents, ex: Extraction, withText: boolean): void {
  const slides = [...zip.files.keys()].filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n)).sort(byNumber);
  const notes = [...zip.files.keys()].filter((n) => /^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(n)).sort(byNumber);
  const xmls = slides.map((n) => part(zip, n) ?? '');
  const f = forensics(countLanguages(xmls, null));
  const authors = new Map<string, { name?: string; initials?: string }>();
  for (const a of scanTags(part(zip, 'ppt/commentAuthors.xml') ?? '', 'p:cmAuthor')) {
    if (a['id']) authors.set(a['id'], { name: a['name'], initials: a['initials'] });
  }
  for (const n of [...zip.files.keys()].filter((k) => k.startsWith('ppt/comments/')).sort()) {
    for (const a of scanTags(part(zip, n) ?? '', 'p:cm')) {
      const who = a['authorId'] ? authors.get(a['authorId']) : undefined;
      const c: OoxmlForensics['comments'][number] = {};
      if (who?.name) c.author = who.name;
      if (who?.initials) c.initials = who.initials;
      if (a['dt']) c.date = a['dt'];
      f.comments.push(c);
    }
  }
  ex.ooxml = f;
  if (f.languages.length) ex.metadata.languages = f.languages.map((l) => l.lang);
  if (withText) setText(ex, [...xmls, ...notes.map((n) => part(zip, n) ?? '')].map((x) => runText(x)).join('\n'));
}

export const ooxmlExtractor: Extractor = {
  name: 'ooxml',
  mediaTypes: OOXML_TYPES,
  extract: (bytes, _type, _name, opts) => extractOoxml(bytes, opts),
};
