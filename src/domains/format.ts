// Output of `tamis domains`: JSON (the contract), CSV (one row per look-alike or variant) and a
// terminal listing. Everything shown comes from the dump: text is neutralised for the terminal.
import { csvCell, oneLine } from '../report/escape.js';
import type { Variant } from './generate.js';
import type { DomainScan, Lookalike } from './scan.js';

const csv = (rows: (string | number)[][]): string => rows.map((r) => r.map((c) => csvCell(String(c))).join(',')).join('\r\n') + '\r\n';

export function variantsCsv(vs: readonly Variant[]): string {
  return csv([['fuzzer', 'domain', 'unicode'], ...vs.map((v) => [v.fuzzer, v.domain, v.unicode])]);
}

export function variantsText(vs: readonly Variant[]): string {
  const w = Math.max(...vs.map((v) => v.fuzzer.length));
  return vs.map((v) => `${v.fuzzer.padEnd(w)}  ${v.domain}${v.unicode !== v.domain ? `  (${oneLine(v.unicode)})` : ''}`).join('\n') + '\n';
}

const LOOKALIKE_HEADER = ['domain', 'unicode', 'imitates', 'reasons', 'hosts', 'fields', 'messages', 'itemIds', 'firstSeen', 'lastSeen', 'recipients', 'senders', 'replies', 'forwards'];

export function scanCsv(s: DomainScan): string {
  return csv([
    LOOKALIKE_HEADER,
    ...s.lookalikes.map((l) => [
      l.domain, l.unicode, l.imitates.join(' '), l.reasons.map((r) => `${r.imitates} ${r.technique}: ${r.detail}`).join(' | '),
      l.hosts.join(' '), l.fields.join(' '), l.messages, l.itemIds.join(' '), l.firstSeen ?? '', l.lastSeen ?? '',
      l.recipients.join(' '), l.senders.join(' '), l.replies.map((r) => r.itemId).join(' '), l.forwards.map((r) => r.itemId).join(' '),
    ]),
  ]);
}

export function scanJson(s: DomainScan): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : '?');

function lookalikeText(l: Lookalike): string {
  const lines = [
    `${oneLine(l.unicode)}${l.unicode !== l.domain ? ` (${l.domain})` : ''} imitates ${l.imitates.join(', ')}`,
    ...l.reasons.map((r) => `    ${r.technique}: ${oneLine(r.detail)}`),
    `  seen in ${l.fields.join(', ')}${l.hosts.length > 1 || l.hosts[0] !== l.domain ? ` as ${l.hosts.join(', ')}` : ''}`,
    `  ${l.messages} message(s) [items ${l.itemIds.join(', ')}], ${day(l.firstSeen)} → ${day(l.lastSeen)}`,
  ];
  if (l.recipients.length > 0) lines.push(`  to ${l.recipients.map(oneLine).join(', ')}`);
  for (const r of l.replies) lines.push(`  replied: item ${r.itemId} from ${oneLine(r.from ?? '?')} on ${day(r.date)}`);
  for (const r of l.forwards) lines.push(`  forwarded: item ${r.itemId} by ${oneLine(r.from ?? '?')} on ${day(r.date)}`);
  return lines.join('\n');
}

export function scanText(s: DomainScan): string {
  const head = `${s.lookalikes.length} look-alike domain(s) of ${s.protected.map((p) => p.domain).join(', ')} in ${s.emailsScanned} email(s)`;
  const mm = s.mismatches.map((m) => `  item ${m.itemId}: shows ${oneLine(m.shown)}, goes to ${oneLine(m.target)}`);
  return [head, '', ...s.lookalikes.map(lookalikeText).join('\n\n').split('\n'), ...(mm.length ? ['', `${mm.length} link(s) whose text shows another domain:`, ...mm] : [])].join('\n') + '\n';
}
