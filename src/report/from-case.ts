import { ITEM_KINDS, VERDICTS, type Finding, type ItemKind, type Verdict } from '../model.js';
import type { Case } from '../store/case.js';
import { TOOL_VERSION } from '../version.js';
import type { CaseReport, ReportItem } from './types.js';
import { keyDetails } from '../keys/index.js';
import { loadScan } from '../domains/settings.js';
import { loadSpreadResult } from '../store/spread.js';
import { spreadSectionOf } from './spread.js';
import { basename } from 'node:path';
import { localPathRedactor, redactJson } from './public-paths.js';
import { SignatureCoverageCounter, type SignatureCoverage } from './unchecked.js';

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.check.localeCompare(b.check) || a.message.localeCompare(b.message),
  );
}

/**
 * The report contract, read from a case. Deterministic: items by id, occurrences by path, findings by
 * severity then check; only `generatedAt` depends on the clock.
 */
export function buildReport(kase: Case, opts: { only?: number[]; now?: Date } = {}): CaseReport {
  const only = opts.only ? new Set(opts.only) : undefined;
  const items: ReportItem[] = [];
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  const byKind = Object.fromEntries(ITEM_KINDS.map((k) => [k, 0])) as Record<ItemKind, number>;
  const signatures = new SignatureCoverageCounter();
  const redact = localPathRedactor(kase);
  for (const it of kase.iterateItems()) {
    byVerdict[it.verdict]++;
    byKind[it.kind]++;
    signatures.add(it.kind, it.metadata);
    if (only && !only.has(it.id)) continue;
    items.push({
      id: it.id,
      sha256: it.sha256,
      kind: it.kind,
      mediaType: it.mediaType,
      size: it.size,
      occurrences: kase.occurrencesOf(it.id).map((o) => ({ path: redact(o.path), parent: o.parentId })),
      verdict: it.verdict,
      verdictReason: redact(it.verdictReason),
      findings: sortFindings(
        kase.findingsOf(it.id).map(({ check, severity, message, evidence, proof }) => ({
          check,
          severity,
          message: redact(message),
          evidence: redactJson(evidence, redact),
          ...(proof ? { proof } : {}),
        })),
      ),
      metadata: redactJson(it.metadata, redact),
    });
  }
  const cutoff = kase.getSetting('cutoff');
  const org = kase.getSetting('org');
  return {
    tool: { name: 'tamis', version: TOOL_VERSION },
    generatedAt: (opts.now ?? new Date()).toISOString(),
    case: {
      // The case folder's name only: the report gets published, the journalist's folders must not.
      path: basename(kase.dir),
      ...(cutoff ? { cutoff } : {}),
      ...(org ? { orgDomains: JSON.parse(org) as string[] } : {}),
    },
    summary: {
      items: byVerdict.verified + byVerdict.tampered + byVerdict.suspicious + byVerdict.consistent,
      byVerdict,
      byKind,
      signatures: signatures.result(),
    },
    keys: kase.keys().map((k) => ({
      domain: k.domain,
      selector: k.selector,
      source: redact(k.source),
      ...(k.firstSeenAt ? { firstSeenAt: k.firstSeenAt } : {}),
      ...(k.lastSeenAt ? { lastSeenAt: k.lastSeenAt } : {}),
      ...keyDetails(k.value),
    })),
    items,
    ...domainsSection(kase),
    ...spreadSection(kase),
  };
}

function domainsSection(kase: Case): Pick<CaseReport, 'domains'> {
  const scan = loadScan(kase);
  return scan ? { domains: { protected: scan.protected, lookalikes: scan.lookalikes, mismatches: scan.mismatches } } : {};
}

function spreadSection(kase: Case): Pick<CaseReport, 'spread'> {
  const section = spreadSectionOf(loadSpreadResult(kase));
  return section ? { spread: section } : {};
}

/** Signature coverage of the whole case, read one item at a time (for summaries of large cases). */
export function signatureCoverageOfCase(kase: Case): SignatureCoverage {
  const c = new SignatureCoverageCounter();
  for (const it of kase.iterateItems()) c.add(it.kind, it.metadata);
  return c.result();
}
