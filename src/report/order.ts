// Deterministic ordering and tolerant reading of the report's open-ended parts (metadata, evidence).
import type { Json, Severity, Verdict } from '../model.js';
import type { DkimRow, ReportItem } from './types.js';

/** Order in which an editor should read items: proof of alteration first, then red flags. */
export const VERDICT_READING_ORDER: readonly Verdict[] = ['tampered', 'suspicious', 'verified', 'consistent'];
export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Items for human reading: tampered and suspicious first, then by id. */
export function itemsByConcern(items: readonly ReportItem[]): ReportItem[] {
  const rank = (it: ReportItem): number => VERDICT_READING_ORDER.indexOf(it.verdict);
  return [...items].sort((a, b) => rank(a) - rank(b) || a.id - b.id);
}

/** Same value with object keys sorted at every depth, so JSON output never depends on insertion order. */
export function sortKeysDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const out: { [k: string]: Json } = {};
    for (const k of Object.keys(value).sort()) {
      const v = value[k];
      if (v !== undefined) out[k] = sortKeysDeep(v);
    }
    return out;
  }
  return value;
}

/** A metadata value as one line of text ('' when absent); lists are joined with ', '. */
export function metaText(item: ReportItem, key: string): string {
  return jsonText(item.metadata[key]);
}

export function jsonText(v: Json | undefined): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(jsonText).filter((s) => s !== '').join(', ');
  if (typeof v === 'object') {
    // Address objects from the mail parser: prefer "Name <address>".
    const name = typeof v['name'] === 'string' ? v['name'] : '';
    const address = typeof v['address'] === 'string' ? v['address'] : '';
    if (address) return name ? `${name} <${address}>` : address;
    // Other objects as readable "field: value" pairs, absent and empty fields left out (no raw JSON).
    return Object.keys(v)
      .sort()
      .map((k) => [k, jsonText(v[k])] as const)
      .filter(([, t]) => t !== '')
      .map(([k, t]) => `${k}: ${t}`)
      .join('; ');
  }
  return String(v);
}

/** Email header fields shown first, in this order; other metadata follows sorted by key. */
export const EMAIL_FIELDS = ['from', 'to', 'cc', 'subject', 'date', 'messageId', 'inReplyTo', 'references'] as const;

/** Metadata entries other than the DKIM table, email fields first, then the rest by key. */
export function metadataEntries(item: Pick<ReportItem, 'metadata'>): [string, Json][] {
  const known: string[] = [...EMAIL_FIELDS];
  const rest = Object.keys(item.metadata)
    .filter((k) => k !== 'dkim' && !known.includes(k))
    .sort();
  const out: [string, Json][] = [];
  for (const k of [...known, ...rest]) {
    const v = item.metadata[k];
    if (v === undefined || jsonText(v) === '') continue;
    out.push([k, v]);
  }
  return out;
}

const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const bool = (v: Json | undefined): boolean | null => (typeof v === 'boolean' ? v : null);
const num = (v: Json | undefined): number | null => (typeof v === 'number' ? v : null);

const KEY_OUTCOMES = ['verified', 'mismatch', 'revoked', 'unusable'] as const;

/** The key column of a DKIM row: its source, and what it did when the signature did not verify with it. */
export function keyCell(r: DkimRow): string {
  if (!r.keySource) return 'no key';
  const what = { verified: '', mismatch: ' (tried: signature does not verify with it)', revoked: ' (tried: revoked)', unusable: ' (tried: unusable)' };
  return `${r.keySource}${r.keyOutcome ? what[r.keyOutcome] : ''}`;
}

/** The DKIM table rows of an email, read defensively (rows that are not objects are skipped). */
export function dkimRows(item: ReportItem): DkimRow[] {
  const raw = item.metadata['dkim'];
  if (!Array.isArray(raw)) return [];
  const rows: DkimRow[] = [];
  for (const r of raw) {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) continue;
    rows.push({
      d: str(r['d']) ?? str(r['domain']) ?? '',
      s: str(r['s']) ?? str(r['selector']) ?? '',
      algorithm: str(r['algorithm']) ?? str(r['a']) ?? '',
      canonicalization: str(r['canonicalization']) ?? str(r['canonicalisation']) ?? str(r['c']) ?? '',
      bodyHashOk: bool(r['bodyHashOk']),
      signatureOk: bool(r['signatureOk']),
      keyBits: num(r['keyBits']),
      keySource: str(r['keySource']) ?? null,
      keyOutcome: KEY_OUTCOMES.find((o) => o === r['keyOutcome']) ?? null,
    });
  }
  return rows;
}

export const yesNo = (v: boolean | null): string => (v === null ? 'n/a' : v ? 'yes' : 'NO');

/** Distinct check ids of an item's findings, in finding order. */
export function findingChecks(item: ReportItem): string[] {
  return [...new Set(item.findings.map((f) => f.check))];
}
