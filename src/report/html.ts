import { VERDICTS, type Finding, type Json } from '../model.js';
import { escapeHtml as e } from './escape.js';
import { METHODOLOGY, VERDICT_MEANING } from './methodology.js';
import { dkimRows, keyCell, itemsByConcern, jsonText, metaText, metadataEntries, sortKeysDeep, yesNo, VERDICT_READING_ORDER } from './order.js';
import type { CaseReport, ReportItem } from './types.js';
import { COVERAGE_COLUMNS, coverageOf, type CoverageColumn } from './coverage.js';
import { domainsHtml } from './domains.js';
import { spreadHtml } from './spread.js';
import { signatureCoverageLines, uncheckedNote } from './unchecked.js';
import { recheckCommand } from './bundle-readme.js';

// One self-contained file: inline CSS, no script, no remote resource. Every value from the dump goes
// through escapeHtml; nothing from the dump is ever placed in a URL, an attribute name or a style.

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;max-width:1100px;margin:2em auto;padding:0 1em}
h1{margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
.meta{color:#555}table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f5f5f7}code,pre,.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
pre{background:#f5f5f7;padding:.5em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.hash{word-break:break-all}.badge{display:inline-block;padding:.1em .6em;border-radius:.8em;color:#fff;font-weight:600;font-size:13px;text-transform:uppercase}
.verified{background:#1b7f3b}.tampered{background:#c0262d}.suspicious{background:#c76b00}.consistent{background:#6b6b70}
.item{border:1px solid #ddd;border-left-width:6px;border-radius:4px;padding:.5em 1em;margin:1em 0}
.item.v-verified{border-left-color:#1b7f3b}.item.v-tampered{border-left-color:#c0262d}.item.v-suspicious{border-left-color:#c76b00}.item.v-consistent{border-left-color:#6b6b70}
.sev-critical{color:#c0262d;font-weight:600}.sev-warning{color:#c76b00;font-weight:600}.sev-info{color:#555}
dl.ev{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:.3em 0}dl.ev dt{font-weight:600}dl.ev dd{margin:0;word-break:break-all}
.bad{color:#c0262d;font-weight:600}
.unchecked{background:#fff6e0;border:1px solid #e8c36a;border-radius:4px;padding:.3em .8em}
td{overflow-wrap:anywhere}
table.coverage td.n{text-align:right;font-variant-numeric:tabular-nums}table.coverage td.zero{color:#aaa}
`;

const badge = (v: string): string => `<span class="badge ${e(v)}">${e(v)}</span>`;

function evidenceHtml(evidence: { [k: string]: Json }): string {
  const keys = Object.keys(evidence).sort();
  if (keys.length === 0) return '';
  const rows = keys.map((k) => {
    const v = evidence[k] ?? null;
    const body =
      v !== null && typeof v === 'object'
        ? `<pre>${e(JSON.stringify(sortKeysDeep(v), null, 2))}</pre>`
        : `<code>${e(String(v))}</code>`;
    return `<dt>${e(k)}</dt><dd>${body}</dd>`;
  });
  return `<dl class="ev">${rows.join('')}</dl>`;
}

function findingHtml(f: Finding): string {
  const proof = f.proof ? ` <em>(${f.proof === 'proves' ? 'proof of authenticity' : 'proof of alteration'})</em>` : '';
  return (
    `<li><span class="sev-${e(f.severity)}">${e(f.severity)}</span> <code>${e(f.check)}</code>${proof}: ${e(f.message)}` +
    `${evidenceHtml(f.evidence)}</li>`
  );
}

function dkimTableHtml(it: ReportItem): string {
  const rows = dkimRows(it);
  if (rows.length === 0) return '';
  const ok = (v: boolean | null): string => (v === false ? `<span class="bad">${yesNo(v)}</span>` : yesNo(v));
  const body = rows
    .map(
      (r) =>
        `<tr><td>${e(r.d)}</td><td>${e(r.s)}</td><td>${e(r.algorithm)}</td><td>${e(r.canonicalization)}</td>` +
        `<td>${ok(r.bodyHashOk)}</td><td>${ok(r.signatureOk)}</td><td>${r.keyBits ?? 'n/a'}</td><td>${e(keyCell(r))}</td></tr>`,
    )
    .join('');
  return (
    '<h4>DKIM signatures</h4><table><thead><tr><th>Domain (d=)</th><th>Selector (s=)</th><th>Algorithm</th>' +
    '<th>Canonicalisation</th><th>Body hash matches</th><th>Signature valid</th><th>Key bits</th><th>Key source</th></tr></thead>' +
    `<tbody>${body}</tbody></table>`
  );
}

function metadataHtml(it: ReportItem): string {
  const entries = metadataEntries(it);
  if (entries.length === 0) return '';
  const rows = entries.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(jsonText(v))}</td></tr>`);
  return `<table>${rows.join('')}</table>`;
}

function itemHtml(it: ReportItem): string {
  const title = metaText(it, 'subject') || it.occurrences[0]?.path || `item ${it.id}`;
  const occ = it.occurrences
    .map((o) => `<li><code>${e(o.path)}</code>${o.parent !== null ? ` (inside <a href="#item-${o.parent}">item #${o.parent}</a>)` : ''}</li>`)
    .join('');
  const findings = it.findings.length ? `<h4>Findings</h4><ul>${it.findings.map(findingHtml).join('')}</ul>` : '';
  return `<section class="item v-${e(it.verdict)}" id="item-${it.id}">
<h3>${badge(it.verdict)} #${it.id} ${e(title)}</h3>
<p><strong>Why:</strong> ${e(it.verdictReason)}</p>
${uncheckedNote(it.metadata) ? `<p class="unchecked"><strong>Signature not checked:</strong> ${e(uncheckedNote(it.metadata))}</p>\n` : ''}<p class="meta">${e(it.kind)} · ${e(it.mediaType)} · ${it.size} bytes · SHA-256 <span class="hash">${e(it.sha256)}</span></p>
<h4>Found at</h4><ul>${occ}</ul>
${metadataHtml(it)}
${dkimTableHtml(it)}
${findings}
</section>`;
}

function summaryHtml(r: CaseReport): string {
  const rows = VERDICT_READING_ORDER.map(
    (v) => `<tr><td>${badge(v)}</td><td>${r.summary.byVerdict[v] ?? 0}</td><td>${e(VERDICT_MEANING[v])}</td></tr>`,
  ).join('');
  return `<table><thead><tr><th>Verdict</th><th>Items</th><th>Meaning</th></tr></thead><tbody>${rows}</tbody>
<tfoot><tr><th>Total</th><th>${r.summary.items}</th><th></th></tr></tfoot></table>`;
}

function keysHtml(r: CaseReport): string {
  if (r.keys.length === 0) return '<p>No DKIM keys were used.</p>';
  const rows = r.keys
    .map(
      (k) =>
        `<tr><td>${e(k.domain)}</td><td>${e(k.selector)}</td><td>${e(k.algorithm ?? '')}</td><td>${k.bits ?? ''}</td>` +
        `<td>${e(k.source)}</td><td>${e(k.firstSeenAt ?? '')}</td><td>${e(k.lastSeenAt ?? '')}</td></tr>`,
    )
    .join('');
  return (
    '<table><thead><tr><th>Domain</th><th>Selector</th><th>Algorithm</th><th>Bits</th><th>Source</th><th>First seen</th><th>Last seen</th></tr></thead>' +
    `<tbody>${rows}</tbody></table>`
  );
}

function indexHtml(items: ReportItem[]): string {
  const rows = items
    .map(
      (it) =>
        `<tr><td><a href="#item-${it.id}">#${it.id}</a></td><td>${badge(it.verdict)}</td><td>${e(it.kind)}</td>` +
        `<td>${e(metaText(it, 'subject') || (it.occurrences[0]?.path ?? ''))}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Item</th><th>Verdict</th><th>Kind</th><th>Subject or location</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const COVERAGE_HEADINGS: Record<CoverageColumn, string> = {
  verified: 'Verified',
  tampered: 'Tampered',
  suspicious: 'Suspicious',
  unsigned: 'Unsigned',
  unverifiable: 'Unverifiable (no key)',
  otherSigned: 'Other signed',
};

/** Emails by sender domain × month: what share of each sender's mail carries proof either way. */
function coverageHtml(r: CaseReport): string {
  const rows = coverageOf(r.items);
  if (rows.length === 0) return '<p>No emails in this report.</p>';
  const num = (n: number): string => `<td class="n${n === 0 ? ' zero' : ''}">${n}</td>`;
  const body = rows
    .map((c) => `<tr><td>${e(c.domain)}</td><td>${e(c.month)}</td>${COVERAGE_COLUMNS.map((k) => num(c[k])).join('')}${num(c.total)}</tr>`)
    .join('');
  const head = COVERAGE_COLUMNS.map((k) => `<th>${e(COVERAGE_HEADINGS[k])}</th>`).join('');
  return (
    '<p>Emails by the domain of their From address and the month of their Date. <em>Unsigned</em>: no DKIM signature. ' +
    '<em>Unverifiable</em>: signed, but no public key was available to check the signature. <em>Other signed</em>: ' +
    'a signature could be checked but proves nothing about the sender (another domain signed it, or a mailing list ' +
    'changed the message). Verdicts take precedence over these columns.</p>' +
    `<table class="coverage"><thead><tr><th>Sender domain</th><th>Month</th>${head}<th>Total</th></tr></thead><tbody>${body}</tbody></table>`
  );
}

function recheckHtml(): string {
  return `<p>Every SHA-256 in this report is the fingerprint of the original bytes of the item as found in the dump,
not of a converted or extracted version. Anyone holding a copy of the file can recompute it (<code>sha256sum FILE</code>)
and find the item here.</p>
<p>To let others re-check items, the investigator exports them with
<code>tamis export --bundle FOLDER ITEM...</code>: the folder holds the original files named by their SHA-256, a
<code>MANIFEST.sha256</code> to check them with <code>sha256sum -c MANIFEST.sha256</code>, the historical DKIM public keys
used (<code>keys.jsonl</code>), the emails that carry verified attachments, and a README with the one command that
re-runs every check offline with tamis built from its source (there is no tamis package to install):
<code>${e(recheckCommand({ case: { path: '' } }))}</code>.</p>`;
}

function signaturesHtml(r: CaseReport): string {
  const lines = r.summary.signatures ? signatureCoverageLines(r.summary.signatures, 50) : [];
  if (lines.length === 0) return '';
  return `<div class="unchecked" data-testid="unchecked-signatures"><h3>Signatures not checked</h3>${lines.map((l) => `<p>${e(l)}</p>`).join('')}</div>\n`;
}

/** The report as one self-contained HTML page for an editor; items needing attention come first. */
export function renderHtml(r: CaseReport): string {
  const items = itemsByConcern(r.items);
  const scope = [
    `Case: <code>${e(r.case.path)}</code>`,
    r.case.cutoff ? `cut-off date: ${e(r.case.cutoff)}` : '',
    r.case.orgDomains?.length ? `organisation domains: ${e(r.case.orgDomains.join(', '))}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const verdictList = VERDICTS.map((v) => `<li>${badge(v)} ${e(VERDICT_MEANING[v])}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>tamis report — ${e(r.case.path)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>Authenticity report</h1>
<p class="meta">Generated at ${e(r.generatedAt)} by ${e(r.tool.name)} ${e(r.tool.version)}. ${scope}</p>
<h2>Summary</h2>
${summaryHtml(r)}
${signaturesHtml(r)}<h2>How verdicts are decided</h2>
${METHODOLOGY.map((p) => `<p>${e(p)}</p>`).join('\n')}
<ul>${verdictList}</ul>
<h2>Coverage by sender and month</h2>
${coverageHtml(r)}
${domainsHtml(r.domains)}${spreadHtml(r.spread)}<h2>Keys used</h2>
${keysHtml(r)}
<h2>How to re-check this report</h2>
${recheckHtml()}
<h2>Items</h2>
${indexHtml(items)}
${items.map(itemHtml).join('\n')}
</body>
</html>
`;
}
