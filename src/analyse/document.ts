import type { Finding, Json } from '../model.js';
import type { ExtractPool } from '../extract/pool.js';
import type { Extraction } from '../extract/types.js';

/** Larger files are stored and hashed, but not parsed: parsers hold the whole file in memory. */
export const MAX_EXTRACT_BYTES = 256 * 1024 * 1024;
/** Per-revision PDF text kept in metadata (the full text is in the texts table). */
const REVISION_TEXT_CHARS = 20_000;

export interface DocumentAnalysis {
  findings: Finding[];
  metadata: { [key: string]: Json };
  text?: string;
  language?: string;
  cells?: Extraction['cells'];
}

/** Metadata and text of a document or image, extracted in a worker under a time and memory budget. */
export async function analyseDocument(bytes: Buffer, mediaType: string, name: string, pool: ExtractPool): Promise<DocumentAnalysis> {
  if (bytes.length > MAX_EXTRACT_BYTES) return tooLargeToParse(bytes.length);
  const out = await pool.extract(bytes, mediaType, name);
  if (!out.ok) return { findings: [unreadable(out.reason)], metadata: {} };
  const x = out.extraction;
  if (!x) return { findings: [], metadata: {} };
  const findings: Finding[] = x.problems.map((p) => unreadable(p));
  if (x.encrypted) {
    findings.push({
      check: 'ingest.encrypted',
      severity: 'info',
      message: 'password-protected: its content and most metadata cannot be read without the password',
      evidence: { mediaType },
    });
  }
  const metadata = toJson({
    ...x.metadata,
    ...(x.language ? { language: x.language } : {}),
    ...(x.encrypted ? { encrypted: true } : {}),
    ...(x.ooxml ? { ooxml: x.ooxml } : {}),
    ...(x.odf ? { odf: x.odf } : {}),
    ...(x.pdfRevisions
      ? { pdfRevisions: x.pdfRevisions.map((r) => ({ ...r, ...(r.text ? { text: r.text.slice(0, REVISION_TEXT_CHARS) } : {}) })) }
      : {}),
    ...(x.textTruncated ? { textTruncated: true } : {}),
  });
  return {
    findings,
    metadata,
    ...(x.text !== undefined ? { text: x.text } : {}),
    ...(x.language ? { language: x.language } : {}),
    ...(x.cells ? { cells: x.cells } : {}),
  };
}

export function tooLargeToParse(size: number): DocumentAnalysis {
  return { findings: [unreadable(`not parsed: ${size} bytes is over the ${MAX_EXTRACT_BYTES}-byte extraction limit`)], metadata: {} };
}

function unreadable(reason: string): Finding {
  // The verdict already says "could not be read fully: <message>"; the message is the reason alone.
  return { check: 'ingest.unreadable', severity: 'warning', message: reason, evidence: { reason } };
}

/** Extraction results are plain data; this drops undefined values so they are valid JSON. */
function toJson(value: unknown): { [key: string]: Json } {
  return JSON.parse(JSON.stringify(value)) as { [key: string]: Json };
}
