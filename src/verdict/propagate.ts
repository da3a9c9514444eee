import type { Finding, Json, Verdict } from '../model.js';
import { ownVerdict, proofSummary, type OwnVerdict } from './rules.js';

export interface VerdictInput {
  id: number;
  sha256: string;
  findings: Finding[];
  /** Occurrences: where the item sits and which item carried it there. */
  occurrences: { path: string; parent: number | null }[];
}

export interface VerdictOutput {
  verdict: Verdict;
  reason: string;
  /** Case-wide findings (inherited proof) to store with the item. */
  derived: Finding[];
}

/**
 * Case-wide verdicts: each item's own verdict, then proof flowing from a verified item to what it
 * carries (attachments, forwarded messages, archive members), transitively. Byte-identical copies
 * need no rule: they are one item with several occurrences. Proof never overrides a disproof of the
 * item itself (a forwarded message whose own signature fails stays tampered even inside a verified
 * email: the forwarder sent altered content).
 */
export function decideVerdicts(items: VerdictInput[]): Map<number, VerdictOutput> {
  return propagateProof(
    items.map((it) => ({ id: it.id, sha256: it.sha256, occurrences: it.occurrences, own: ownVerdict(it.findings) })),
  );
}

/** An item reduced to what proof propagation needs: its own verdict, never its findings. */
export interface OwnVerdictInput {
  id: number;
  sha256: string;
  occurrences: { path: string; parent: number | null }[];
  own: OwnVerdict;
}

/** The case-wide step of `decideVerdicts`, for callers that compute own verdicts item by item. */
export function propagateProof(items: OwnVerdictInput[]): Map<number, VerdictOutput> {
  const out = new Map<number, VerdictOutput>();
  const rootProof = new Map<number, { [key: string]: Json }>();
  for (const it of items) {
    const own = it.own;
    out.set(it.id, { verdict: own.verdict, reason: own.reason, derived: [] });
    if (own.verdict === 'verified' && own.proof) rootProof.set(it.id, proofSummary(own.proof));
  }
  const byId = new Map(items.map((it) => [it.id, it]));
  // Fixpoint: a carrier verified in one round passes proof down in the next; cycles (an archive
  // containing itself) end because an item is only ever promoted once.
  let changed = true;
  while (changed) {
    changed = false;
    for (const it of items) {
      const current = out.get(it.id);
      if (!current || current.verdict === 'verified' || current.verdict === 'tampered') continue;
      const carrier = it.occurrences
        .filter((o) => o.parent !== null && out.get(o.parent)?.verdict === 'verified')
        .sort((a, b) => a.path.localeCompare(b.path))[0];
      if (!carrier || carrier.parent === null) continue;
      const parent = byId.get(carrier.parent);
      const root = rootProof.get(carrier.parent);
      if (!parent || !root) continue;
      rootProof.set(it.id, root);
      const elsewhere = it.occurrences.filter((o) => o.path !== carrier.path).map((o) => o.path);
      const message =
        `Carried by verified item #${parent.id} at ${carrier.path}; proof: ${String(root['message'] ?? root['check'])}` +
        (elsewhere.length ? `; the same bytes also appear at ${elsewhere.join(', ')}` : '');
      out.set(it.id, {
        verdict: 'verified',
        reason: message,
        derived: [
          {
            check: 'provenance.inherited',
            severity: 'info',
            proof: 'proves',
            message,
            evidence: {
              carrier: parent.id,
              carrierSha256: parent.sha256,
              path: carrier.path,
              coveringProof: root,
              otherOccurrences: elsewhere,
              previousVerdict: current.verdict,
            },
          },
        ],
      });
      changed = true;
    }
  }
  return out;
}
