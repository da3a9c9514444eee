// Incremental-update history of a PDF: each update appends objects, an xref and `startxref … %%EOF`.
// Hand-written byte scan (no library exposes the sections); each prefix is then loaded with pdfjs to
// read that revision's Info dates, producer and text.
import { str } from './common.js';
import { normaliseDateString } from './dates.js';
import { openPdf, pdfInfo, pdfText } from './pdfjs.js';
import type { PdfRevision } from './types.js';

const EOF = Buffer.from('%%EOF');
/** Revisions loaded with pdfjs; beyond that only their offsets are listed. */
const MAX_LOADED_REVISIONS = 32;
const REVISION_TEXT_CHARS = 512 * 1024;

/** True when the `startxref` value just before `eofAt` points at an xref table or stream in this file. */
function validSection(bytes: Buffer, eofAt: number): boolean {
  const from = Math.max(0, eofAt - 1024);
  const tail = bytes.subarray(from, eofAt).toString('latin1');
  const m = /startxref\s+(\d+)\s*$/.exec(tail);
  if (!m || !m[1]) return false;
  const off = Number(m[1]);
  if (!Number.isSafeInteger(off) || off >= eofAt) return false;
  const at = bytes.subarray(off, Math.min(off + 32, bytes.length)).toString('latin1');
  // Offset 0 is what a linearized file's first-page trailer says; accept it too.
  return off === 0 || /^\s*(xref|\d+\s+\d+\s+obj)/.test(at);
}

export interface RevisionScan {
  /** End offsets (after `%%EOF` and its line end) of every revision, in file order. */
  ends: number[];
  linearized: boolean;
}

/** Finds revision boundaries. A linearized file's first `%%EOF` closes the first-page xref, not an update. */
export function scanRevisions(bytes: Buffer): RevisionScan {
  const ends: number[] = [];
  for (let i = bytes.indexOf(EOF); i >= 0; i = bytes.indexOf(EOF, i + EOF.length)) {
    if (!validSection(bytes, i)) continue;
    let end = i + EOF.length;
    if (bytes[end] === 0x0d) end++;
    if (bytes[end] === 0x0a) end++;
    ends.push(end);
  }
  const head = bytes.subarray(0, 1024).toString('latin1');
  const linearized = /\/Linearized\b/.test(head);
  if (linearized && ends.length > 1) ends.shift();
  return { ends, linearized };
}

async function loadRevision(bytes: Buffer, rev: PdfRevision, withText: boolean): Promise<void> {
  const doc = await openPdf(bytes.subarray(0, rev.endOffset), 20_000);
  try {
    const { info } = await pdfInfo(doc);
    const created = normaliseDateString(str(info['CreationDate']));
    const modified = normaliseDateString(str(info['ModDate']));
    if (created || modified) rev.infoDates = { ...(created ? { created } : {}), ...(modified ? { modified } : {}) };
    const producer = str(info['Producer']);
    if (producer) rev.producer = producer;
    if (!withText) return;
    const problems: string[] = [];
    const { text } = await pdfText(doc, REVISION_TEXT_CHARS, problems);
    rev.text = text.slice(0, REVISION_TEXT_CHARS).trim();
    if (problems.length) rev.problem = problems.join('; ');
  } finally {
    await doc.destroy();
  }
}

/** One entry per revision, oldest first; each prefix loaded on its own when possible (its text only when asked). */
export async function pdfRevisions(bytes: Buffer, withText = true): Promise<PdfRevision[]> {
  const { ends } = scanRevisions(bytes);
  const revisions: PdfRevision[] = ends.map((endOffset, index) => ({ index, endOffset }));
  if (revisions.length < 2) return revisions; // a single revision is the document itself
  for (const rev of revisions.slice(0, MAX_LOADED_REVISIONS)) {
    try {
      await loadRevision(bytes, rev, withText);
    } catch (err) {
      rev.problem = `bytes 0..${rev.endOffset} could not be opened as a PDF: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  for (const rev of revisions.slice(MAX_LOADED_REVISIONS)) rev.problem = `not loaded: more than ${MAX_LOADED_REVISIONS} revisions`;
  return revisions;
}
