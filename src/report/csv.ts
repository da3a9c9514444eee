import { csvCell } from './escape.js';
import { findingChecks, metaText } from './order.js';
import type { CaseReport } from './types.js';

const HEADER = [
  'id',
  'sha256',
  'kind',
  'mediaType',
  'size',
  'verdict',
  'verdictReason',
  'firstPath',
  'occurrences',
  'from',
  'subject',
  'date',
  'findingChecks',
];

/** One row per item, by id (RFC 4180, CRLF line ends, formula-looking cells neutralised). */
export function renderCsv(r: CaseReport): string {
  const rows: (string | number)[][] = [HEADER];
  for (const it of [...r.items].sort((a, b) => a.id - b.id)) {
    rows.push([
      it.id,
      it.sha256,
      it.kind,
      it.mediaType,
      it.size,
      it.verdict,
      it.verdictReason,
      it.occurrences[0]?.path ?? '',
      it.occurrences.length,
      metaText(it, 'from'),
      metaText(it, 'subject'),
      metaText(it, 'date'),
      findingChecks(it).join(' '),
    ]);
  }
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
