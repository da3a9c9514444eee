// HTML → text (script/style dropped, blocks as lines, entities decoded) plus <title> and <meta>
// author/generator/description. A tag stripper, not a renderer: enough for search and metadata.
import { decodeHTML } from 'entities';
import { assignDefined, emptyExtraction, setText } from './common.js';
import { decodeText } from './charset.js';
import type { ExtractOptions, Extraction, Extractor } from './types.js';

export const HTML_TYPES = ['text/html', 'application/xhtml+xml'] as const;

const BLOCK = /^(p|div|br|li|tr|h[1-6]|table|section|article|header|footer|blockquote|pre|ul|ol|dl|dt|dd|hr|title|form)$/i;

export function htmlToText(html: string): string {
  const body = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|noscript|template|head)\b[\s\S]*?<\/\1\s*>/gi, (m, tag: string) => (tag.toLowerCase() === 'head' ? '' : ' '));
  const withBreaks = body.replace(/<\/?([a-zA-Z][\w:-]*)\b[^>]*>/g, (_m, tag: string) => {
    if (/^(td|th)$/i.test(tag)) return '\t';
    return BLOCK.test(tag) ? '\n' : '';
  });
  return decodeHTML(withBreaks).replace(/\u00a0/g, ' ').replace(/[ \t]{2,}/g, ' ').replace(/ *\n */g, '\n');
}

function metaContent(html: string, name: string): string | undefined {
  for (const m of html.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = m[0];
    const n = /\bname\s*=\s*["']?([^"'\s>]+)/i.exec(tag)?.[1];
    if (n?.toLowerCase() !== name) continue;
    const c = /\bcontent\s*=\s*("([^"]*)"|'([^']*)')/i.exec(tag);
    const v = c?.[2] ?? c?.[3];
    if (v?.trim()) return decodeHTML(v.trim());
  }
  return undefined;
}

export async function extractHtml(bytes: Buffer, opts: ExtractOptions = {}): Promise<Extraction> {
  const ex = emptyExtraction();
  const head = bytes.subarray(0, 4096).toString('latin1');
  const declared = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
  const { text: html, charset } = decodeText(bytes, declared);
  const title = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  assignDefined(ex.metadata, {
    title: title ? decodeHTML(title).replace(/\s+/g, ' ').trim() : undefined,
    author: metaContent(html, 'author'),
    application: metaContent(html, 'generator'),
    comments: metaContent(html, 'description'),
    keywords: metaContent(html, 'keywords'),
  });
  const lang = /<html\b[^>]*\blang\s*=\s*["']?([\w-]+)/i.exec(html)?.[1];
  if (lang) ex.metadata.languages = [lang];
  ex.metadata.raw['html'] = { charset, ...(declared ? { declaredCharset: declared } : {}) };
  if (opts.text !== false) setText(ex, htmlToText(html));
  return ex;
}

export const htmlExtractor: Extractor = {
  name: 'html',
  mediaTypes: HTML_TYPES,
  extract: (bytes, _type, _name, opts) => extractHtml(bytes, opts),
};
