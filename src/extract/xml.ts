// XML helpers: a namespace-prefix-free object parser for small property parts (fast-xml-parser), and
// a streaming tag scanner for large bodies where only attributes or run text matter.
import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  textNodeName: '#text',
  processEntities: true,
});

export type XmlNode = string | { [key: string]: XmlNode | XmlNode[] | undefined };

/** Decodes XML bytes honouring a UTF-16 BOM; UTF-8 otherwise. */
export function xmlText(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf);
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf);
  return new TextDecoder('utf-8').decode(buf);
}

export function parseXml(xml: string): Record<string, unknown> {
  return parser.parse(xml) as Record<string, unknown>;
}

/** Text content of a parsed node: a plain string, the `#text` of an element, or the first of a list. */
export function nodeText(n: unknown): string | undefined {
  if (n === null || n === undefined) return undefined;
  if (typeof n === 'string' || typeof n === 'number' || typeof n === 'boolean') return String(n).trim() || undefined;
  if (Array.isArray(n)) {
    for (const x of n) {
      const t = nodeText(x);
      if (t !== undefined) return t;
    }
    return undefined;
  }
  if (typeof n === 'object') {
    const o = n as Record<string, unknown>;
    if ('#text' in o) return nodeText(o['#text']);
    // rdf:Alt / rdf:Seq / rdf:Bag wrappers in XMP.
    for (const k of ['Alt', 'Seq', 'Bag', 'li']) if (k in o) return nodeText(o[k]);
  }
  return undefined;
}

export function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric references. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (all, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
    }
    return ENTITY[e.toLowerCase()] ?? all;
  });
}

/** Attributes of a start tag's attribute text (`a="1" b='2'`), entity-decoded, names with prefix kept. */
export function parseAttributes(attrText: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of attrText.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    const name = m[1];
    if (name) out[name] = decodeEntities(m[3] ?? m[4] ?? '');
  }
  return out;
}

/** Every start (or empty) tag named `tag` (with prefix, e.g. `w:ins`), as attribute maps, in order. */
export function scanTags(xml: string, tag: string): Record<string, string>[] {
  const re = new RegExp(`<${tag.replace(/[.:]/g, '\\$&')}(?=[\\s/>])([^>]*)>`, 'g');
  const out: Record<string, string>[] = [];
  for (const m of xml.matchAll(re)) out.push(parseAttributes(m[1] ?? ''));
  return out;
}
