import { ITEM_KINDS, VERDICTS, type Finding, type Json } from '../model.js';
import { sortKeysDeep } from './order.js';
import type { CaseReport, ReportItem } from './types.js';
import { domainsJson } from './domains.js';
import { spreadJson } from './spread.js';

// Key order follows the contract in types.ts; open-ended objects (evidence, metadata) are sorted by key.

function finding(f: Finding): Json {
  return {
    check: f.check,
    severity: f.severity,
    message: f.message,
    ...(f.proof ? { proof: f.proof } : {}),
    evidence: sortKeysDeep(f.evidence),
  };
}

function item(it: ReportItem): Json {
  return {
    id: it.id,
    sha256: it.sha256,
    kind: it.kind,
    mediaType: it.mediaType,
    size: it.size,
    occurrences: it.occurrences.map((o) => ({ path: o.path, parent: o.parent })),
    verdict: it.verdict,
    verdictReason: it.verdictReason,
    findings: it.findings.map(finding),
    metadata: sortKeysDeep(it.metadata),
  };
}

/** The report as JSON: contract key order, 2-space indent, trailing newline. */
export function renderJson(r: CaseReport): string {
  const doc: Json = {
    tool: { name: r.tool.name, version: r.tool.version },
    generatedAt: r.generatedAt,
    case: {
      path: r.case.path,
      ...(r.case.cutoff !== undefined ? { cutoff: r.case.cutoff } : {}),
      ...(r.case.orgDomains !== undefined ? { orgDomains: [...r.case.orgDomains] } : {}),
    },
    summary: {
      items: r.summary.items,
      byVerdict: Object.fromEntries(VERDICTS.map((v) => [v, r.summary.byVerdict[v] ?? 0])),
      byKind: Object.fromEntries(ITEM_KINDS.map((k) => [k, r.summary.byKind[k] ?? 0])),
      ...(r.summary.signatures
        ? {
            signatures: {
              signedEmails: r.summary.signatures.signedEmails,
              uncheckedEmails: r.summary.signatures.uncheckedEmails,
              missingKeys: r.summary.signatures.missingKeys.map((k) => ({ d: k.d, s: k.s, emails: k.emails })),
              unreadableEmails: r.summary.signatures.unreadableEmails,
            },
          }
        : {}),
    },
    keys: r.keys.map((k) => ({
      domain: k.domain,
      selector: k.selector,
      source: k.source,
      ...(k.firstSeenAt !== undefined ? { firstSeenAt: k.firstSeenAt } : {}),
      ...(k.lastSeenAt !== undefined ? { lastSeenAt: k.lastSeenAt } : {}),
      ...(k.bits !== undefined ? { bits: k.bits } : {}),
      ...(k.algorithm !== undefined ? { algorithm: k.algorithm } : {}),
    })),
    items: [...r.items].sort((a, b) => a.id - b.id).map(item),
    ...domainsJson(r.domains),
    ...spreadJson(r.spread),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
