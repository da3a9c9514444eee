import { type Finding, type Json } from '../model.js';
import { escapeMarkdown as m, markdownFence } from './escape.js';
import { METHODOLOGY, VERDICT_MEANING } from './methodology.js';
import { dkimRows, keyCell, itemsByConcern, jsonText, metaText, metadataEntries, sortKeysDeep, yesNo, VERDICT_READING_ORDER } from './order.js';
import type { CaseReport, ReportItem } from './types.js';
import { domainsMd } from './domains.js';
import { spreadMd } from './spread.js';
import { signatureCoverageLines, uncheckedNote } from './unchecked.js';

const table = (head: string[], rows: string[][]): string =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function evidenceMd(evidence: { [k: string]: Json }): string {
  if (Object.keys(evidence).length === 0) return '';
  const indented = markdownFence(JSON.stringify(sortKeysDeep(evidence), null, 2), 'json')
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  return `\n${indented}`;
}

const findingMd = (f: Finding): string =>
  `- **${f.severity}** \`${f.check.replace(/`/g, '')}\`${f.proof ? ` (${f.proof === 'proves' ? 'proof of authenticity' : 'proof of alteration'})` : ''}: ${m(f.message)}${evidenceMd(f.evidence)}`;

function itemMd(it: ReportItem): string {
  const title = metaText(it, 'subject') || it.occurrences[0]?.path || `item ${it.id}`;
  const out = [
    `### #${it.id} ${it.verdict.toUpperCase()}: ${m(title)}`,
    '',
    `**Why:** ${m(it.verdictReason)}`,
    '',
    ...(uncheckedNote(it.metadata) ? [`**Signature not checked:** ${m(uncheckedNote(it.metadata))}`, ''] : []),
    `${m(it.kind)} · ${m(it.mediaType)} · ${it.size} bytes · SHA-256 \`${it.sha256.replace(/`/g, '')}\``,
    '',
    '**Found at:**',
    '',
    ...it.occurrences.map((o) => `- ${m(o.path)}${o.parent !== null ? ` (inside #${o.parent})` : ''}`),
  ];
  const meta = metadataEntries(it);
  if (meta.length) out.push('', table(['Field', 'Value'], meta.map(([k, v]) => [m(k), m(jsonText(v))])));
  const dkim = dkimRows(it);
  if (dkim.length) {
    out.push(
      '',
      '**DKIM signatures:**',
      '',
      table(
        ['d=', 's=', 'Algorithm', 'Canonicalisation', 'Body hash matches', 'Signature valid', 'Key bits', 'Key source'],
        dkim.map((r) => [m(r.d), m(r.s), m(r.algorithm), m(r.canonicalization), yesNo(r.bodyHashOk), yesNo(r.signatureOk), String(r.keyBits ?? 'n/a'), m(keyCell(r))]),
      ),
    );
  }
  if (it.findings.length) out.push('', '**Findings:**', '', ...it.findings.map(findingMd));
  return out.join('\n');
}

function signaturesMd(r: CaseReport): string[] {
  const lines = r.summary.signatures ? signatureCoverageLines(r.summary.signatures, 50) : [];
  return lines.length ? ['## Signatures not checked', '', ...lines.flatMap((l) => [m(l), '']).slice(0, -1), ''] : [];
}

/** The report as Markdown; items needing attention first, all dump text escaped. */
export function renderMarkdown(r: CaseReport): string {
  const out = [
    '# Authenticity report',
    '',
    `Generated at ${m(r.generatedAt)} by ${m(r.tool.name)} ${m(r.tool.version)}. Case: ${m(r.case.path)}` +
      (r.case.cutoff ? ` · cut-off date: ${m(r.case.cutoff)}` : '') +
      (r.case.orgDomains?.length ? ` · organisation domains: ${m(r.case.orgDomains.join(', '))}` : ''),
    '',
    '## Summary',
    '',
    table(
      ['Verdict', 'Items', 'Meaning'],
      [...VERDICT_READING_ORDER.map((v) => [v, String(r.summary.byVerdict[v] ?? 0), VERDICT_MEANING[v]]), ['total', String(r.summary.items), '']],
    ),
    '',
    ...signaturesMd(r),
    '## How verdicts are decided',
    '',
    ...METHODOLOGY.flatMap((p) => [p, '']),
    ...domainsMd(r.domains),
    ...spreadMd(r.spread),
    '## Keys used',
    '',
    r.keys.length
      ? table(
          ['Domain', 'Selector', 'Algorithm', 'Bits', 'Source', 'First seen', 'Last seen'],
          r.keys.map((k) => [m(k.domain), m(k.selector), m(k.algorithm ?? ''), String(k.bits ?? ''), m(k.source), m(k.firstSeenAt ?? ''), m(k.lastSeenAt ?? '')]),
        )
      : 'No DKIM keys were used.',
    '',
    '## Items',
    '',
    ...itemsByConcern(r.items).flatMap((it) => [itemMd(it), '']),
  ];
  return out.join('\n');
}
