// Legacy OLE2 / Compound File documents (.doc/.xls/.ppt, also encrypted OOXML which is wrapped in
// CFB): SummaryInformation + DocumentSummaryInformation property sets, code-page aware, and
// password protection. Body text of .doc/.xls/.ppt is not extracted yet (binary record formats).
import CFB from 'cfb';
import type { Json } from '../model.js';
import { assignDefined, emptyExtraction, errorMessage } from './common.js';
import { normaliseDateString } from './dates.js';
import {
  FMTID_DOCSUMMARY, FMTID_SUMMARY, FMTID_USER_DEFINED, parsePropertySetStream, type PropValue, type PropertySet,
} from './ole-propset.js';
import type { Extraction, Extractor } from './types.js';

export const OLE_TYPES = [
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/x-cfb',
  'application/x-ole-storage',
  'application/vnd.ms-office',
  'application/x-tika-msoffice',
  'application/vnd.visio',
  'application/vnd.ms-project',
] as const;

const SUMMARY_NAMES: { [id: number]: string } = {
  2: 'Title', 3: 'Subject', 4: 'Author', 5: 'Keywords', 6: 'Comments', 7: 'Template', 8: 'LastAuthor',
  9: 'RevNumber', 10: 'EditTime', 11: 'LastPrinted', 12: 'Created', 13: 'LastSaved', 14: 'PageCount',
  15: 'WordCount', 16: 'CharCount', 17: 'Thumbnail', 18: 'AppName', 19: 'Security',
};
const DOCSUMMARY_NAMES: { [id: number]: string } = {
  2: 'Category', 3: 'PresentationTarget', 4: 'Bytes', 5: 'Lines', 6: 'Paragraphs', 7: 'Slides', 8: 'Notes',
  9: 'HiddenSlides', 10: 'MMClips', 11: 'ScaleCrop', 12: 'HeadingPairs', 13: 'TitlesOfParts', 14: 'Manager',
  15: 'Company', 16: 'LinksUpToDate', 17: 'CharCountWithSpaces', 19: 'SharedDoc', 22: 'HyperlinksChanged', 23: 'AppVersion',
};

const MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
export const isCfb = (b: Buffer): boolean => b.length >= 512 && b.subarray(0, 8).equals(MAGIC);

function jsonValue(v: PropValue): Json {
  if (v === null) return null;
  if (Array.isArray(v)) return v;
  if (typeof v === 'object') return v.filetime ?? null;
  return v;
}

function named(set: PropertySet, table: { [id: number]: string }): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const [id, v] of set.props) {
    // EditTime is a FILETIME holding a duration, not a date.
    if (table === SUMMARY_NAMES && id === 10 && v && typeof v === 'object' && !Array.isArray(v)) out['EditTime'] = Number(v.ticks / 10_000_000n);
    else out[table[id] ?? set.names.get(id) ?? `#${id}`] = jsonValue(v);
  }
  if (set.codepage !== undefined) out['CodePage'] = set.codepage;
  return out;
}

const s = (v: PropValue | undefined): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const n = (v: PropValue | undefined): number | undefined => (typeof v === 'number' && v > 0 ? v : undefined);
const d = (v: PropValue | undefined): string | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? normaliseDateString(v.filetime) : undefined);

/** True when a .doc, .xls or .ppt body says it is password protected. */
function binaryEncrypted(cfb: CFB.CFB$Container, streams: Map<string, Buffer>): boolean {
  const word = streams.get('WordDocument');
  if (word && word.length > 12 && (word.readUInt16LE(10) & 0x0100) !== 0) return true; // FIB fEncrypted
  const book = streams.get('Workbook') ?? streams.get('Book');
  if (book) {
    // FILEPASS (0x002F) appears among the first records of the workbook globals.
    let p = 0;
    for (let i = 0; i < 64 && p + 4 <= book.length; i++) {
      const type = book.readUInt16LE(p);
      const len = book.readUInt16LE(p + 2);
      if (type === 0x002f) return true;
      if (type === 0x00fc || type === 0x0085) break; // SST or BOUNDSHEET: past the place it would be
      p += 4 + len;
    }
  }
  return cfb.FullPaths.some((p) => /\/EncryptedSummary$/.test(p));
}

export async function extractOle(bytes: Buffer): Promise<Extraction> {
  const ex = emptyExtraction();
  let cfb: CFB.CFB$Container;
  try {
    cfb = CFB.read(bytes, { type: 'buffer' });
  } catch (err) {
    ex.problems.push(`not a readable OLE compound file: ${errorMessage(err)}`);
    return ex;
  }
  const streams = new Map<string, Buffer>();
  cfb.FileIndex.forEach((e, i) => {
    const path = cfb.FullPaths[i] ?? '';
    // Only top-level streams (Root Entry/<name>): embedded objects carry their own summaries.
    if (e.type === 2 && path.split('/').filter(Boolean).length === 2 && e.content) streams.set(e.name, Buffer.from(e.content));
  });
  if (streams.has('EncryptedPackage')) {
    ex.encrypted = true;
    ex.problems.push('password-protected Office Open XML document (EncryptedPackage in an OLE container): contents not readable without the password');
  } else if (binaryEncrypted(cfb, streams)) {
    ex.encrypted = true;
    ex.problems.push('password-protected legacy Office document: body not readable without the password');
  }
  readSummary(streams, ex);
  readDocSummary(streams, ex);
  ex.metadata.raw['ole.streams'] = [...streams.keys()].sort().map((k) => [...k].filter((c) => c.charCodeAt(0) >= 0x20).join(''));
  return ex;
}

function readSummary(streams: Map<string, Buffer>, ex: Extraction): void {
  const b = streams.get('\u0005SummaryInformation');
  if (!b) return;
  try {
    const set = parsePropertySetStream(b).find((x) => x.fmtid === FMTID_SUMMARY);
    if (!set) return;
    ex.metadata.raw['ole.summary'] = named(set, SUMMARY_NAMES);
    const p = (id: number): PropValue | undefined => set.props.get(id);
    const edit = p(10);
    assignDefined(ex.metadata, {
      title: s(p(2)),
      codepage: set.codepage,
      subject: s(p(3)),
      author: s(p(4)),
      keywords: s(p(5)),
      comments: s(p(6)),
      template: s(p(7)),
      lastModifiedBy: s(p(8)),
      revision: s(p(9)),
      totalEditMinutes: edit && typeof edit === 'object' && !Array.isArray(edit) && edit.ticks > 0n ? Math.round(Number(edit.ticks / 100_000n) / 600) / 10 : undefined,
      printed: d(p(11)),
      created: d(p(12)),
      modified: d(p(13)),
      pageCount: n(p(14)),
      wordCount: n(p(15)),
      application: s(p(18)),
      hasThumbnail: p(17) ? true : undefined,
    });
  } catch (err) {
    ex.problems.push(`SummaryInformation: ${errorMessage(err)}`);
  }
}

function readDocSummary(streams: Map<string, Buffer>, ex: Extraction): void {
  const b = streams.get('\u0005DocumentSummaryInformation');
  if (!b) return;
  try {
    const sets = parsePropertySetStream(b);
    const doc = sets.find((x) => x.fmtid === FMTID_DOCSUMMARY);
    if (doc) {
      ex.metadata.raw['ole.docsummary'] = named(doc, DOCSUMMARY_NAMES);
      const ver = doc.props.get(23);
      if (ex.metadata.codepage === undefined) assignDefined(ex.metadata, { codepage: doc.codepage });
      assignDefined(ex.metadata, {
        company: s(doc.props.get(15)),
        // AppVersion: high word major, low word minor (e.g. 0x000C0000 → 12.0000).
        appVersion: typeof ver === 'number' && ver > 0 ? `${ver >>> 16}.${String(ver & 0xffff).padStart(4, '0')}` : undefined,
      });
      if (ex.metadata.pageCount === undefined) assignDefined(ex.metadata, { pageCount: n(doc.props.get(7)) });
    }
    const user = sets.find((x) => x.fmtid === FMTID_USER_DEFINED);
    if (user) ex.metadata.raw['ole.custom'] = named(user, {});
  } catch (err) {
    ex.problems.push(`DocumentSummaryInformation: ${errorMessage(err)}`);
  }
}

export const oleExtractor: Extractor = {
  name: 'ole',
  mediaTypes: OLE_TYPES,
  extract: (bytes) => extractOle(bytes),
};
