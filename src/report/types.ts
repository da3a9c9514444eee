// The JSON report is a public contract: fields are only ever added, never renamed or removed.
import type { Finding, ItemKind, Json, Verdict } from '../model.js';
import type { DomainScan } from '../domains/scan.js';
import type { SignatureCoverage } from './unchecked.js';
import type { SpreadSection } from './spread.js';

export interface ReportKey {
  domain: string;
  selector: string;
  /** Where the public key came from (archive file, DNS at a recorded time, ...). */
  source: string;
  firstSeenAt?: string;
  lastSeenAt?: string;
  bits?: number;
  algorithm?: string;
}

export interface CaseReport {
  tool: { name: 'tamis'; version: string };
  generatedAt: string; // ISO
  case: { path: string; cutoff?: string; orgDomains?: string[] };
  summary: {
    items: number;
    byVerdict: Record<Verdict, number>;
    byKind: Record<ItemKind, number>;
    /** Signed emails of the whole case whose signatures could not be checked, and the keys that would check them. */
    signatures?: SignatureCoverage;
  };
  keys: ReportKey[];
  items: ReportItem[]; // ordered deterministically (by id)
  /** Look-alike domains, when `tamis domains --case` was run on the case. */
  domains?: Pick<DomainScan, 'protected' | 'lookalikes' | 'mismatches'>;
  /** How the dump spread on social media, when `tamis spread --case` was run on the case. */
  spread?: SpreadSection;
}

export interface ReportItem {
  id: number;
  sha256: string;
  kind: ItemKind;
  mediaType: string;
  size: number;
  occurrences: { path: string; parent: number | null }[]; // sorted by path
  verdict: Verdict;
  verdictReason: string;
  findings: Finding[]; // sorted: critical, warning, info, then check id
  /** email: from, to, subject, date, messageId, dkim: DkimRow[]; documents: their own fields. */
  metadata: { [k: string]: Json };
}

/**
 * One row of `metadata.dkim` (one DKIM signature of an email), as the renderers read it.
 * `null` means "could not be decided" (no key, unparsable signature).
 */
export interface DkimRow {
  d: string;
  s: string;
  algorithm: string;
  canonicalization: string;
  bodyHashOk: boolean | null;
  signatureOk: boolean | null;
  keyBits: number | null;
  keySource: string | null;
  /** What the key named by keySource did: verified, mismatch (signature does not verify with it), revoked, unusable. */
  keyOutcome?: 'verified' | 'mismatch' | 'revoked' | 'unusable' | null;
}
