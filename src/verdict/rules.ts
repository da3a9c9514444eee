import type { Finding, Json, Verdict } from '../model.js';

export interface OwnVerdict {
  verdict: Verdict;
  reason: string;
  /** The finding that proves the item, when verified on its own. */
  proof?: Finding;
}

/** Findings about reading the dump say nothing about authenticity; they never change a verdict. */
const isIngestFinding = (f: Finding): boolean => f.check.startsWith('ingest.');

/** Signature breakage that a valid ARC chain can explain (a list rewrote the Subject, added a footer). */
const ARC_EXPLAINABLE = new Set(['dkim.body-hash', 'dkim.header-signature', 'dkim.key-mismatch', 'dkim.unsigned-content']);

/** A valid ARC chain whose first hop saw the message intact explains later DKIM breakage. */
export function arcExplanation(findings: Finding[]): Finding | undefined {
  return findings.find((f) => f.check === 'arc.chain' && f.evidence['explains'] === true);
}

/**
 * The verdict an item earns from its own findings, before proof flows between items.
 * Rules, in order (docs/verdicts.md is the reader's version):
 * 1. a disproof (proof of alteration) not explained by ARC → tampered;
 * 2. a proof → verified;
 * 3. any warning or critical finding (including disproofs that ARC explains) → suspicious,
 *    unless the only red flags are ARC-explained disproofs, which leave the item consistent with a note;
 * 4. otherwise consistent.
 */
export function ownVerdict(findings: Finding[]): OwnVerdict {
  const relevant = findings.filter((f) => !isIngestFinding(f));
  const arc = arcExplanation(relevant);
  const disproofs = relevant.filter((f) => f.proof === 'disproves');
  if (disproofs.length > 0 && !arc) {
    return { verdict: 'tampered', reason: `Proof of alteration: ${disproofs.map((f) => f.message).join('; ')}` };
  }
  const proof = relevant.find((f) => f.proof === 'proves');
  if (proof && disproofs.length === 0) {
    return { verdict: 'verified', reason: proof.message, proof };
  }
  const explained = (f: Finding) => f.proof === 'disproves' || (arc !== undefined && ARC_EXPLAINABLE.has(f.check));
  const redFlags = relevant.filter((f) => f.severity !== 'info' && !explained(f));
  if (redFlags.length > 0) {
    return { verdict: 'suspicious', reason: `Red flags without proof: ${redFlags.map((f) => f.message).join('; ')}` };
  }
  if (arc) {
    return {
      verdict: 'consistent',
      reason: `Modified in transit, explained by ARC: ${arc.message}`,
    };
  }
  const unread = findings.filter(isIngestFinding);
  if (unread.length > 0) {
    return { verdict: 'consistent', reason: `Nothing proves or disproves it; could not be read fully: ${unread[0]?.message ?? ''}` };
  }
  return { verdict: 'consistent', reason: 'Nothing proves or disproves it.' };
}

export function proofSummary(f: Finding): { [key: string]: Json } {
  const pick: { [key: string]: Json } = {};
  for (const k of ['domain', 'selector', 'algorithm', 'keySource', 'd', 's', 'a']) {
    const v = f.evidence[k];
    if (v !== undefined) pick[k] = v;
  }
  return { check: f.check, message: f.message, ...pick };
}
