import { ITEM_KINDS, VERDICTS, type Json } from '../model.js';
import { neutraliseControls as safe, oneLine } from './escape.js';
import { dkimRows, keyCell, jsonText, metadataEntries, sortKeysDeep, yesNo } from './order.js';
import type { ReportItem } from './types.js';
import { signatureCoverageLines, uncheckedNote, type SignatureCoverage } from './unchecked.js';

// Plain text for a terminal: no colours (output is often piped), control characters from the dump
// shown as escapes so a hostile subject line cannot move the cursor or hide text.

function alignTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ').trimEnd())
    .join('\n');
}

/** Counts by verdict (rows) × kind (columns), with totals, as an aligned text table. */
/** Verdict × kind counts; takes a report or just the case's (verdict, kind) pairs (see Case.verdictsAndKinds). */
export function renderSummaryTable(r: { items: readonly { verdict: string; kind: string }[] }): string {
  // Counted from the items present so the table and the listed items always agree.
  const count = (v: string, k: string): number => r.items.filter((it) => it.verdict === v && it.kind === k).length;
  const rows: string[][] = [['verdict', ...ITEM_KINDS, 'total']];
  for (const v of VERDICTS) {
    const cells = ITEM_KINDS.map((k) => count(v, k));
    rows.push([v, ...cells.map(String), String(cells.reduce((a, b) => a + b, 0))]);
  }
  const kindTotals = ITEM_KINDS.map((k) => r.items.filter((it) => it.kind === k).length);
  rows.push(['total', ...kindTotals.map(String), String(r.items.length)]);
  return `${alignTable(rows)}\n`;
}

/** The "signatures not checked" paragraph after a summary table; '' when every signed email was checked. */
export function renderSignatureCoverage(c: SignatureCoverage): string {
  const lines = signatureCoverageLines(c);
  return lines.length ? `\n${lines.join('\n')}\n` : '';
}

function indentJson(v: Json, pad: string): string {
  const flat = Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
  const text = v === null || typeof v !== 'object' ? String(v) : JSON.stringify(sortKeysDeep(v), null, flat ? undefined : 2);
  return safe(text)
    .split('\n')
    .map((l, i) => (i === 0 ? l : pad + l))
    .join('\n');
}

/** One item, readable in a terminal (`tamis show`): verdict, locations, metadata, DKIM, findings with evidence. */
export function renderShow(it: ReportItem): string {
  const out: string[] = [
    `Item #${it.id}  ${it.verdict.toUpperCase()}`,
    `  Why:     ${oneLine(it.verdictReason)}`,
    ...(uncheckedNote(it.metadata) ? [`  Not checked: ${oneLine(uncheckedNote(it.metadata))}`] : []),
    `  Kind:    ${it.kind} (${oneLine(it.mediaType)}), ${it.size} bytes`,
    `  SHA-256: ${it.sha256}`,
    `  Found at:`,
    ...it.occurrences.map((o) => `    ${oneLine(o.path)}${o.parent !== null ? `  (inside #${o.parent})` : ''}`),
  ];
  const meta = metadataEntries(it);
  if (meta.length) {
    const w = Math.max(...meta.map(([k]) => k.length));
    out.push('  Metadata:', ...meta.map(([k, v]) => `    ${k.padEnd(w)}  ${oneLine(jsonText(v))}`));
  }
  const dkim = dkimRows(it);
  if (dkim.length) {
    const rows = [
      ['d=', 's=', 'algorithm', 'canon', 'body hash ok', 'signature ok', 'key bits', 'key source'],
      ...dkim.map((r) => [r.d, r.s, r.algorithm, r.canonicalization, yesNo(r.bodyHashOk), yesNo(r.signatureOk), String(r.keyBits ?? 'n/a'), keyCell(r)].map(oneLine)),
    ];
    const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
    out.push('  DKIM signatures:', ...rows.map((r) => `    ${r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()}`));
  }
  if (it.findings.length) {
    out.push('  Findings:');
    for (const f of it.findings) {
      const proof = f.proof ? ` [${f.proof === 'proves' ? 'proof of authenticity' : 'proof of alteration'}]` : '';
      out.push(`    ${f.severity.toUpperCase().padEnd(8)} ${oneLine(f.check)}${proof}: ${oneLine(f.message)}`);
      for (const k of Object.keys(f.evidence).sort()) {
        out.push(`      ${oneLine(k)}: ${indentJson(f.evidence[k] ?? null, '        ')}`);
      }
    }
  } else {
    out.push('  Findings: none');
  }
  return `${out.join('\n')}\n`;
}
