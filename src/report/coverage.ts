// Coverage of a report's emails by sender domain and month: how much of each sender's mail could be proven.
import type { Json } from '../model.js';
import { jsonText } from './order.js';
import type { ReportItem } from './types.js';

/**
 * verified / tampered / suspicious: the verdict. Otherwise (consistent): unsigned = no DKIM signature;
 * unverifiable = signed, but no key for any signature; otherSigned = a key was found yet the signature
 * proves nothing about the sender (third-party domain, change explained by ARC, ...).
 */
export const COVERAGE_COLUMNS = ['verified', 'tampered', 'suspicious', 'unsigned', 'unverifiable', 'otherSigned'] as const;
export type CoverageColumn = (typeof COVERAGE_COLUMNS)[number];

export type CoverageRow = { domain: string; month: string; total: number } & Record<CoverageColumn, number>;

/** Domain of the (first) From address, lower-cased; '(unknown)' when there is none. */
export function senderDomain(item: ReportItem): string {
  const from = jsonText(item.metadata['from']);
  const angle = /<[^<>@]*@([^<>\s]+)>/.exec(from)?.[1];
  const bare = /@([A-Za-z0-9.-]+)/.exec(from)?.[1];
  return (angle ?? bare ?? '(unknown)').toLowerCase().replace(/\.$/, '');
}

/** YYYY-MM of the Date field (UTC), or 'undated'. */
export function sendMonth(item: ReportItem): string {
  const d = item.metadata['date'];
  const t = typeof d === 'string' ? Date.parse(d) : Number.NaN;
  return Number.isNaN(t) ? 'undated' : new Date(t).toISOString().slice(0, 7);
}

export function coverageColumn(item: ReportItem): CoverageColumn {
  if (item.verdict !== 'consistent') return item.verdict;
  // ARC seals are rows of the same table; only DKIM signatures say whether the sender signed.
  const raw = Array.isArray(item.metadata['dkim']) ? item.metadata['dkim'] : [];
  const rows = raw.filter(
    (r): r is { [k: string]: Json } =>
      r !== null && typeof r === 'object' && !Array.isArray(r) && (r['kind'] === undefined || r['kind'] === 'DKIM'),
  );
  if (rows.length === 0) return 'unsigned';
  if (rows.every((r) => typeof r['signatureOk'] !== 'boolean')) return 'unverifiable';
  return 'otherSigned';
}

/** One row per (sender domain, month) of the report's emails, sorted by domain then month. */
export function coverageOf(items: readonly ReportItem[]): CoverageRow[] {
  const cells = new Map<string, CoverageRow>();
  for (const it of items) {
    if (it.kind !== 'email') continue;
    const domain = senderDomain(it);
    const month = sendMonth(it);
    const key = `${domain}\u0000${month}`;
    let row = cells.get(key);
    if (!row) {
      row = { domain, month, total: 0, verified: 0, tampered: 0, suspicious: 0, unsigned: 0, unverifiable: 0, otherSigned: 0 };
      cells.set(key, row);
    }
    row[coverageColumn(it)]++;
    row.total++;
  }
  return [...cells.values()].sort((a, b) => a.domain.localeCompare(b.domain) || a.month.localeCompare(b.month));
}
