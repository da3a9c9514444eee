// The internal timestamps of a document, parsed. Documents often state local time without a zone
// (EXIF, ODF, Word's w:date), so comparisons with zone-less values allow the widest offset (14 h).
import type { Json } from '../../model.js';
import { asArray, asObject, type DocumentFacts } from './facts.js';

/** UTC+14 (Kiribati) to UTC−12: the most a zone-less local time can be off from UTC. */
export const ZONE_TOLERANCE_MS = 14 * 3600_000;
/** Earlier values are placeholders (1601, 1904, 1970 epochs, "0000"), not real edits. */
const EARLIEST_PLAUSIBLE = Date.UTC(1985, 0, 1);

export interface DatedField {
  /** Where the value comes from, e.g. `modified`, `pdfRevisions[1].modified`, `ooxml.trackedChanges[3].date`. */
  field: string;
  value: string;
  ms: number;
  /** The value states its zone (Z or ±hh:mm) and can be trusted to the minute. */
  zoned: boolean;
}

/** Parses an ISO-like date; a value without zone is read as UTC and marked unzoned. */
export function parseDocDate(value: string, trustZone = true): { ms: number; zoned: boolean } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.replace(/[+:-]/g, '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
  }
  if (!Number.isFinite(ms) || ms < EARLIEST_PLAUSIBLE) return undefined;
  return { ms, zoned: trustZone && zone !== undefined };
}

const TOP_LEVEL = ['created', 'modified', 'printed', 'dateTimeOriginal'] as const;

/** Every internal timestamp of a document, in a fixed order. */
export function internalDates(doc: DocumentFacts): DatedField[] {
  const out: DatedField[] = [];
  const push = (field: string, v: Json | undefined, trustZone = true): void => {
    if (typeof v !== 'string') return;
    const p = parseDocDate(v, trustZone);
    if (p) out.push({ field, value: v, ...p });
  };
  for (const k of TOP_LEVEL) push(k, doc.metadata[k]);
  asArray(doc.metadata['pdfRevisions']).forEach((r, i) => {
    const dates = asObject(asObject(r)?.['infoDates']);
    push(`pdfRevisions[${i}].created`, dates?.['created']);
    push(`pdfRevisions[${i}].modified`, dates?.['modified']);
  });
  const ooxml = asObject(doc.metadata['ooxml']);
  // Word writes w:date in local time but suffixes it with Z: its zone cannot be trusted.
  asArray(ooxml?.['trackedChanges']).forEach((c, i) => push(`ooxml.trackedChanges[${i}].date`, asObject(c)?.['date'], false));
  asArray(ooxml?.['comments']).forEach((c, i) => push(`ooxml.comments[${i}].date`, asObject(c)?.['date'], false));
  return out;
}

/** Cutoff in ms: a date-only cutoff means the end of that day. */
export function cutoffMs(cutoff: string): number | undefined {
  const p = parseDocDate(cutoff);
  if (!p) return undefined;
  return /^\d{4}-\d{2}-\d{2}$/.test(cutoff.trim()) ? p.ms + 86_400_000 - 1 : p.ms;
}
