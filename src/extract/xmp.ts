// XMP packets (PDF, JPEG, PNG, TIFF…): flattened to `prefix:Name` → value, where Alt gives the
// x-default (or first) entry, Seq/Bag give lists, and xmpMM:History gives one object per event.
import { XMLParser } from 'fast-xml-parser';
import type { Json } from '../model.js';
import { toJson } from './common.js';
import { normaliseDateString } from './dates.js';
import type { NormalisedMetadata } from './types.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  textNodeName: '#text',
});

type Obj = Record<string, unknown>;
const arr = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** The XMP packet inside arbitrary bytes (first `<x:xmpmeta>` … `</x:xmpmeta>`, or bare rdf:RDF). */
export function findXmpPacket(bytes: Buffer): string | undefined {
  const xmpmeta = bytes.indexOf('<x:xmpmeta');
  // Pre-2004 Adobe software wrote x:xapmeta.
  const start = xmpmeta >= 0 ? xmpmeta : bytes.indexOf('<x:xapmeta');
  const startRdf = start < 0 ? bytes.indexOf('<rdf:RDF') : start;
  if (startRdf < 0) return undefined;
  const endTag = start < 0 ? '</rdf:RDF>' : xmpmeta >= 0 ? '</x:xmpmeta>' : '</x:xapmeta>';
  const end = bytes.indexOf(endTag, startRdf);
  if (end < 0) return undefined;
  return bytes.subarray(startRdf, end + endTag.length).toString('utf8');
}

function value(v: unknown): Json {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object') return String(v);
  const o = v as Obj;
  for (const kind of ['rdf:Alt', 'rdf:Seq', 'rdf:Bag']) {
    if (kind in o) {
      const items = arr((o[kind] as Obj | undefined)?.['rdf:li']);
      if (kind === 'rdf:Alt') {
        const out: { [lang: string]: Json } = {};
        for (const li of items) {
          const lang = typeof li === 'object' && li ? String((li as Obj)['@xml:lang'] ?? 'x-default') : 'x-default';
          out[lang] = value(li);
        }
        return out;
      }
      return items.map((li) => value(li));
    }
  }
  if ('#text' in o && Object.keys(o).every((k) => k === '#text' || k.startsWith('@'))) return String(o['#text']);
  if ('rdf:Description' in o) return value(o['rdf:Description']);
  // A structure (e.g. a History event): attributes and children, prefixes kept.
  const out: { [k: string]: Json } = {};
  for (const [k, x] of Object.entries(o)) {
    if (k.startsWith('@xmlns') || k === '@rdf:parseType' || k === '@xml:lang') continue;
    out[k.startsWith('@') ? k.slice(1) : k] = k.startsWith('@') ? String(x) : value(x);
  }
  return out;
}

/** Flattens every rdf:Description of the packet. Throws on XML that cannot be parsed. */
export function parseXmp(packet: string): { [name: string]: Json } {
  const doc = parser.parse(packet) as Obj;
  const meta = (doc['x:xmpmeta'] ?? doc['x:xapmeta'] ?? doc) as Obj;
  const rdf = (meta['rdf:RDF'] ?? {}) as Obj;
  const out: { [name: string]: Json } = {};
  for (const d of arr(rdf['rdf:Description'])) {
    if (!d || typeof d !== 'object') continue;
    for (const [k, v] of Object.entries(d as Obj)) {
      if (k.startsWith('@xmlns') || k === '@rdf:about' || k === '@about' || k === '#text') continue;
      const name = k.startsWith('@') ? k.slice(1) : k;
      out[name] = k.startsWith('@') ? String(v) : value(v);
    }
  }
  return toJson(out) as { [name: string]: Json };
}

/** A language alternative or list reduced to one string (x-default first). */
export function xmpString(v: Json | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v.trim() || undefined;
  if (Array.isArray(v)) return v.map((x) => xmpString(x)).filter(Boolean).join(', ') || undefined;
  if (typeof v === 'object') {
    const o = v as { [k: string]: Json };
    return xmpString(o['x-default'] ?? Object.values(o)[0]);
  }
  return String(v);
}

/** `action when softwareAgent` lines of xmpMM:History, in recorded order. */
export function xmpHistory(xmp: { [name: string]: Json }): string[] | undefined {
  const h = xmp['xmpMM:History'];
  if (!Array.isArray(h) || !h.length) return undefined;
  return h.map((e) => {
    if (!e || typeof e !== 'object' || Array.isArray(e)) return String(e);
    const ev = e as { [k: string]: Json };
    return [ev['stEvt:action'], ev['stEvt:when'], ev['stEvt:softwareAgent'], ev['stEvt:changed']]
      .filter((x) => typeof x === 'string' && x).join(' ');
  });
}

/** The normalised fields XMP can provide (callers decide which source wins). */
export function xmpMetadata(xmp: { [name: string]: Json }): Partial<NormalisedMetadata> {
  const s = (k: string): string | undefined => xmpString(xmp[k]);
  const lang = xmp['dc:language'];
  return {
    title: s('dc:title'),
    author: s('dc:creator'),
    subject: s('dc:description'),
    keywords: s('pdf:Keywords') ?? s('dc:subject'),
    producer: s('pdf:Producer'),
    creatorTool: s('xmp:CreatorTool') ?? s('xap:CreatorTool'),
    created: normaliseDateString(s('xmp:CreateDate') ?? s('xap:CreateDate')),
    modified: normaliseDateString(s('xmp:ModifyDate') ?? s('xap:ModifyDate')),
    // EXIF mirrored into XMP (sidecars, PDFs, edited images).
    cameraMake: s('tiff:Make'),
    cameraModel: s('tiff:Model'),
    software: s('tiff:Software'),
    artist: s('tiff:Artist'),
    copyright: s('dc:rights'),
    dateTimeOriginal: normaliseDateString(s('exif:DateTimeOriginal')),
    languages: Array.isArray(lang) ? lang.filter((x): x is string => typeof x === 'string') : typeof lang === 'string' ? [lang] : undefined,
    xmpHistory: xmpHistory(xmp),
  };
}
