import type { Finding, Json, Verdict } from '../model.js';
import { ownVerdict, proofSummary } from './rules.js';

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

/** What proof propagation needs of one item: numbers only, so a case of any size fits in memory. */
export interface CarriedItem {
  id: number;
  /** The item's own verdict (from its own findings). */
  own: Verdict;
  /**
   * The carrying item of each of its occurrences that has one, ordered by the occurrence's path
   * (`localeCompare`): the first verified one is the carrier named in the evidence.
   */
  carriers: number[];
}

/**
 * Which items become verified through a verified carrier (attachments, forwarded messages, archive
 * members), transitively, and by which carrier. Byte-identical copies need no rule: they are one
 * item with several occurrences. Proof never overrides a disproof of the item itself (a forwarded
 * message whose own signature fails stays tampered even inside a verified email: the forwarder sent
 * altered content). `items` lists every item of the case, in a stable order; each round visits them
 * in that order and sees the promotions made earlier in the same round.
 */
export function promotions(items: Iterable<CarriedItem>, ownVerified: (id: number) => boolean): Map<number, number> {
  const promoted = new Map<number, number>();
  const verified = (id: number): boolean => promoted.has(id) || ownVerified(id);
  const candidates = [...items].filter((it) => (it.own === 'consistent' || it.own === 'suspicious') && it.carriers.length > 0);
  // Fixpoint: a carrier verified in one round passes proof down in the next; cycles (an archive
  // containing itself) end because an item is only ever promoted once.
  let changed = true;
  while (changed) {
    changed = false;
    for (const it of candidates) {
      if (promoted.has(it.id)) continue;
      const carrier = it.carriers.find(verified);
      if (carrier === undefined) continue;
      promoted.set(it.id, carrier);
      changed = true;
    }
  }
  return promoted;
}

/** The item whose own proof covers `id`: up the carriers until an item verified on its own. */
export function coveringRoot(id: number, promoted: Map<number, number>): number {
  let cur = id;
  for (let hops = 0; hops <= promoted.size; hops++) {
    const next = promoted.get(cur);
    if (next === undefined) return cur;
    cur = next;
  }
  return cur; // unreachable: promotions never form a cycle
}

/** The verdict of an item verified through its carrier, with the evidence a reader needs to check it. */
export function inheritedVerdict(p: {
  carrier: { id: number; sha256: string; path: string };
  coveringProof: { [key: string]: Json };
  otherOccurrences: string[];
  previousVerdict: Verdict;
}): VerdictOutput {
  const { carrier, coveringProof, otherOccurrences } = p;
  const message =
    `Carried by verified item #${carrier.id} at ${carrier.path}; proof: ${String(coveringProof['message'] ?? coveringProof['check'])}` +
    (otherOccurrences.length ? `; the same bytes also appear at ${otherOccurrences.join(', ')}` : '');
  return {
    verdict: 'verified',
    reason: message,
    derived: [
      {
        check: 'provenance.inherited',
        severity: 'info',
        proof: 'proves',
        message,
        evidence: {
          carrier: carrier.id,
          carrierSha256: carrier.sha256,
          path: carrier.path,
          coveringProof,
          otherOccurrences,
          previousVerdict: p.previousVerdict,
        },
      },
    ],
  };
}

/** Carriers of an item's occurrences in the order the evidence names them (by path). */
export function carriersByPath(occurrences: { path: string; parent: number | null }[]): number[] {
  return occurrences
    .filter((o): o is { path: string; parent: number } => o.parent !== null)
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((o) => o.parent);
}

/** The carrier's occurrence of an item: the first by path among those `carrier` carries. */
export function carrierOccurrence<O extends { path: string; parent: number | null }>(occurrences: O[], carrier: number): O | undefined {
  return occurrences.filter((o) => o.parent === carrier).sort((a, b) => a.path.localeCompare(b.path))[0];
}

/**
 * Case-wide verdicts of items held in memory: each item's own verdict, then proof flowing from a
 * verified item to what it carries. The case's own pass (analyse/applyVerdicts) runs the same
 * steps while reading items from the database one at a time.
 */
export function decideVerdicts(items: VerdictInput[]): Map<number, VerdictOutput> {
  const out = new Map<number, VerdictOutput>();
  const own = new Map(items.map((it) => [it.id, ownVerdict(it.findings)]));
  for (const it of items) {
    const o = own.get(it.id)!;
    out.set(it.id, { verdict: o.verdict, reason: o.reason, derived: [] });
  }
  const byId = new Map(items.map((it) => [it.id, it]));
  const promoted = promotions(
    items.map((it) => ({ id: it.id, own: own.get(it.id)!.verdict, carriers: carriersByPath(it.occurrences) })),
    (id) => own.get(id)?.proof !== undefined,
  );
  for (const [id, carrierId] of promoted) {
    const it = byId.get(id)!;
    const carrier = byId.get(carrierId)!;
    const at = carrierOccurrence(it.occurrences, carrierId)!;
    const proof = own.get(coveringRoot(id, promoted))!.proof!;
    out.set(
      id,
      inheritedVerdict({
        carrier: { id: carrierId, sha256: carrier.sha256, path: at.path },
        coveringProof: proofSummary(proof),
        otherOccurrences: it.occurrences.filter((o) => o.path !== at.path).map((o) => o.path),
        previousVerdict: own.get(id)!.verdict,
      }),
    );
  }
  return out;
}
