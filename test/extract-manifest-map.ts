// Maps the asserted values of ../shared/corpus/documents/MANIFEST.tsv (Tika test assertions and
// ExifTool expected output) onto tamis's normalised extraction, field by field.
import type { Extraction } from '../src/extract/index.js';
import type { Json } from '../src/model.js';
import { minutesFromIsoDuration, normaliseDateString } from '../src/extract/dates.js';
import { xmpString } from '../src/extract/xmp.js';

export interface ManifestRow {
  file: string;
  format: string;
  expected: string;
  source: 'tika' | 'exiftool' | 'msgreader';
}

export function readManifest(tsv: string): ManifestRow[] {
  return tsv.split('\n').slice(1).filter(Boolean).map((line) => {
    const [file = '', , format = '', expected = ''] = line.split('\t');
    const source = file.startsWith('exiftool/') ? 'exiftool' : file.startsWith('msgreader/') ? 'msgreader' : 'tika';
    return { file, format, expected, source };
  });
}

/** `key=value` assertions of one row; free prose fragments without `=` are dropped. */
export function assertions(expected: string, source: ManifestRow['source'] = 'tika'): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  // `; ` separates assertions; inside one, `, Key=` starts another (e.g. "Author=a, Creator=b").
  for (const part of expected.split(/;\s+|,\s+(?=[\w:]+=|Info |xmp:)/)) {
    const cleaned = part.replace(/^FORENSIC(?: \([^)]*\))?:\s*/, '').replace(/^Info vs XMP all differ:\s*/, '').replace(/^(core|app)\s+/, '').replace(/\s*\[[^\]]*\]\s*$/, '');
    const i = cleaned.indexOf('=');
    if (i <= 0) continue;
    // In Tika rows a trailing parenthetical is the manifest author's note, not part of the value.
    const value = cleaned.slice(i + 1).trim();
    out.push({ key: cleaned.slice(0, i).trim(), value: source === 'tika' ? value.replace(/\s+\([^()]*\)?$/, '') : value });
  }
  return out;
}

type Kind = 'string' | 'date' | 'number' | 'minutes' | 'gps' | 'includes' | 'revisions' | 'offsets' | 'bool';
interface Target {
  field: string;
  kind: Kind;
  get: (ex: Extraction) => unknown;
}

const m = (field: keyof Extraction['metadata'], kind: Kind = 'string'): Target => ({ field, kind, get: (ex) => ex.metadata[field] });

/** Tika metadata names (as the manifest writes them) → our field. */
const TIKA: { [key: string]: Target } = {
  Make: m('cameraMake'), Model: m('cameraModel'), Software: m('software'),
  'DateTimeOriginal(created)': m('dateTimeOriginal', 'date'), ModifyDate: m('modified', 'date'),
  'GPS lat': m('gps', 'gps'),
  title: m('title'), Title: m('title'), creator: m('author'), Author: m('author'), 'Info Author': m('author'),
  lastModifiedBy: m('lastModifiedBy'), LastAuthor: m('lastModifiedBy'),
  created: m('created', 'date'), Created: m('created', 'date'), modified: m('modified', 'date'), LastSaved: m('modified', 'date'),
  Application: m('application'), AppName: m('application'), Template: m('template'),
  'Company(publisher)': m('company'), Company: m('company'), revision: m('revision'), 'editing-cycles': m('revision'),
  Pages: m('pageCount', 'number'), pages: m('pageCount', 'number'), Slides: m('pageCount', 'number'),
  Words: m('wordCount', 'number'), words: m('wordCount', 'number'),
  subject: m('subject'), keywords: m('keywords'), description: m('comments'), Comments: m('comments'),
  'editing duration': m('totalEditMinutes', 'minutes'), language: m('languages', 'includes'), 'dc:language': m('languages', 'includes'),
  Producer: m('producer'), Creator: m('creatorTool'), Subject: m('subject'), Keywords: m('keywords'),
  'XMP dc:title': { field: 'raw.xmp.dc:title', kind: 'string', get: (ex) => xmpString(xmpRaw(ex)['dc:title']) },
  'dc:creator': { field: 'raw.xmp.dc:creator', kind: 'string', get: (ex) => xmpString(xmpRaw(ex)['dc:creator']) },
  'xmpMM:DocumentID': { field: 'raw.xmp.xmpMM:DocumentID', kind: 'string', get: (ex) => xmpString(xmpRaw(ex)['xmpMM:DocumentID']) }, 'Info Creator(xmp:CreatorTool)': m('creatorTool'), 'xmp:CreatorTool': { field: 'raw.xmp.xmp:CreatorTool', kind: 'string', get: (ex) => xmpString(xmpRaw(ex)['xmp:CreatorTool']) ?? ex.metadata.creatorTool },
  'xmp:CreateDate': m('created', 'date'), 'pdf:pdf-version': m('pdfVersion'),
  'pdf:encrypted': { field: 'encrypted', kind: 'bool', get: (ex) => ex.encrypted === true },
  'incremental updates': { field: 'pdfRevisions', kind: 'revisions', get: (ex) => ex.pdfRevisions },
  'pdf:incremental-update-count': { field: 'pdfRevisions', kind: 'revisions', get: (ex) => ex.pdfRevisions },
  'pdf:eof-offsets': { field: 'pdfRevisions', kind: 'offsets', get: (ex) => ex.pdfRevisions?.map((r) => r.endOffset) },
  'original save path (x15ac:absPath)': { field: 'ooxml.lastSavePath', kind: 'string', get: (ex) => ex.ooxml?.lastSavePath },
};

/** ExifTool `Group:Tag Name` → our field, for the groups tamis reads. */
const EXIFTOOL: { [key: string]: Target } = {
  'EXIF:Make': m('cameraMake'), 'EXIF:Camera Model Name': m('cameraModel'), 'EXIF:Software': m('software'),
  'EXIF:Modify Date': m('modified', 'date'), 'EXIF:Date/Time Original': m('dateTimeOriginal', 'date'),
  'EXIF:Create Date': m('created', 'date'), 'EXIF:Artist': m('artist'), 'EXIF:Copyright': m('copyright'),
  'EXIF:GPS Latitude': { field: 'gps.lat', kind: 'gps', get: (ex) => ex.metadata.gps?.lat },
  'EXIF:GPS Longitude': { field: 'gps.lon', kind: 'gps', get: (ex) => ex.metadata.gps?.lon },
  'IPTC:By-line': m('author'),
  'XML:Template': m('template'), 'XML:Total Edit Time': m('totalEditMinutes', 'minutes'), 'XML:Application': m('application'),
  'XML:Company': m('company'), 'XML:Last Modified By': m('lastModifiedBy'), 'XML:Revision Number': m('revision'),
  'XML:Create Date': m('created', 'date'), 'XML:Modify Date': m('modified', 'date'),
  'FlashPix:Title': m('title'), 'FlashPix:Author': m('author'), 'FlashPix:Last Modified By': m('lastModifiedBy'),
  'FlashPix:Revision Number': m('revision'), 'FlashPix:Software': m('application'), 'FlashPix:Total Edit Time': m('totalEditMinutes', 'minutes'),
  'FlashPix:Create Date': m('created', 'date'), 'FlashPix:Modify Date': m('modified', 'date'), 'FlashPix:Company': m('company'),
  'PDF:Creator': m('creatorTool'), 'PDF:Create Date': m('created', 'date'), 'PDF:Modify Date': m('modified', 'date'), 'PDF:Producer': m('producer'),
  'HTML:Title': m('title'),
  'RTF:Title': m('title'), 'RTF:Author': m('author'), 'RTF:Company': m('company'), 'RTF:Modify Date': m('modified', 'date'),
  'VCard:Software': m('software'),
};

/** Tika puts ODF's meta:keyword into dc:subject; ours keeps dc:subject and keywords apart. */
const TIKA_ODF: { [key: string]: Target } = { subject: m('keywords') };

export function targetFor(row: ManifestRow, key: string): Target | undefined {
  if (row.source === 'exiftool') return EXIFTOOL[key];
  if (row.source !== 'tika') return undefined;
  return (/^od[a-z]$/.test(row.format) ? TIKA_ODF[key] : undefined) ?? TIKA[key];
}

function xmpRaw(ex: Extraction): { [k: string]: Json } {
  const x = ex.metadata.raw['xmp'];
  return x && typeof x === 'object' && !Array.isArray(x) ? x : {};
}

/** Degrees from `54 degrees 59.38 minutes`, `40 deg 24' 0.25"`, or a decimal. */
function degrees(s: string): number | undefined {
  const nums = s.match(/-?\d+(?:\.\d+)?/g)?.map(Number) ?? [];
  if (!nums.length) return undefined;
  const [d = 0, mi = 0, se = 0] = nums;
  return Math.abs(d) + mi / 60 + se / 3600;
}

function sameDate(expected: string, actual: unknown): boolean {
  if (typeof actual !== 'string') return false;
  const e = normaliseDateString(expected.replace(/^(\d{4}):(\d{2}):(\d{2}) /, '$1-$2-$3T'));
  if (!e) return false;
  // Both zoned: the same instant counts. Else compare to the precision the expectation states.
  const zoned = /(Z|[+-]\d{2}:\d{2})$/;
  if (zoned.test(e) && zoned.test(actual) && Date.parse(e) === Date.parse(actual)) return true;
  const a = /(Z|[+-]\d{2}:\d{2})$/.test(e) ? actual : actual.replace(/(Z|[+-]\d{2}:\d{2})$/, '');
  return a.startsWith(e) || a === e;
}

/** Whether our value agrees with the asserted one under the field's comparison. */
export function agrees(t: Target, expected: string, ex: Extraction): boolean {
  const actual = t.get(ex);
  if (expected === 'null') return actual === undefined;
  switch (t.kind) {
    case 'string':
      return typeof actual === 'string' && actual.trim() === expected.trim();
    case 'date':
      return sameDate(expected, actual);
    case 'number':
      return actual === Number(expected);
    case 'minutes': {
      const want = /^P/.test(expected) ? minutesFromIsoDuration(expected) : Number(/[\d.]+/.exec(expected)?.[0]);
      return typeof actual === 'number' && want !== undefined && Math.abs(actual - want) < 0.1;
    }
    case 'gps': {
      if (typeof actual === 'number') {
        const want = degrees(expected);
        return want !== undefined && Math.abs(Math.abs(actual) - want) < 1e-3;
      }
      const g = actual as { lat: number; lon: number } | undefined;
      const [lat, lon] = expected.split(/\s+lon=/).map(Number);
      return !!g && lat !== undefined && Math.abs(g.lat - lat) < 1e-4 && (lon === undefined || Number.isNaN(lon) || Math.abs(g.lon - lon) < 1e-4);
    }
    case 'includes':
      return Array.isArray(actual) && actual.includes(expected);
    case 'bool':
      return String(actual) === expected;
    case 'revisions': {
      const n = Number(/^\d+/.exec(expected)?.[0]);
      return Array.isArray(actual) && actual.length - 1 === n;
    }
    case 'offsets': {
      const want = (/\[([^\]]*)\]/.exec(expected)?.[1] ?? '').split(/,\s*/).map(Number);
      return Array.isArray(actual) && JSON.stringify(actual) === JSON.stringify(want);
    }
  }
}

export function describeActual(t: Target, ex: Extraction): string {
  const v = t.get(ex);
  return t.kind === 'revisions' && Array.isArray(v) ? `${v.length - 1} updates` : JSON.stringify(v);
}
