// doc.near-copy-of-verified / doc.near-copy: the same content with a few differences in two items.
import { findNearCopies, type NearCopyOptions, type NearCopyPair } from '../../nearcopy/index.js';
import type { Finding, Json } from '../../model.js';
import { addFinding, severityFor, type DocumentCheck, type DocumentFacts } from './facts.js';

function changesEvidence(pair: NearCopyPair, original: number): { [k: string]: Json } {
  // Pair changes run from a's value to b's; report them as "counterpart's value → this item's value".
  const flip = pair.a !== original;
  if (pair.basis === 'cells') {
    return {
      changedCells: (pair.cellChanges ?? []).map((c) => ({
        sheet: c.sheet, ref: c.ref,
        original: (flip ? c.b : c.a) ?? null,
        this: (flip ? c.a : c.b) ?? null,
      })),
    };
  }
  return {
    changedWords: (pair.textChanges ?? []).map((c) => ({
      context: c.context,
      original: flip ? c.added : c.removed,
      this: flip ? c.removed : c.added,
    })),
  };
}

function pairEvidence(pair: NearCopyPair, other: DocumentFacts): { [k: string]: Json } {
  return {
    counterpart: other.itemId,
    counterpartVerified: other.verified,
    basis: pair.basis,
    similarity: Math.round(pair.similarity * 1000) / 1000,
    changeCount: pair.changeCount,
    ...changesEvidence(pair, other.itemId),
  };
}

/** Both checks share one pairing pass per run; `near-copy` options can be set for tests. */
export function nearCopyChecks(opts: NearCopyOptions = {}): { ofVerified: DocumentCheck; plain: DocumentCheck } {
  // Weak: the documents (with every text of the case) must not outlive the run that passed them.
  const cache = new WeakMap<DocumentFacts[], NearCopyPair[]>();
  const pairsOf = (docs: DocumentFacts[]): NearCopyPair[] => {
    let pairs = cache.get(docs);
    if (!pairs) {
      pairs = findNearCopies(docs, opts);
      cache.set(docs, pairs);
    }
    return pairs;
  };
  const byItem = (docs: DocumentFacts[]): Map<number, DocumentFacts> => new Map(docs.map((d) => [d.itemId, d]));

  const ofVerified: DocumentCheck = {
    meta: {
      id: 'doc.near-copy-of-verified',
      title: 'Differs from a verified original',
      description:
        'The item is a near copy of a verified item (an attachment of a DKIM-verified email, say) but not identical: the evidence lists the words or cells that differ and names the verified item. An authentic original exists and this copy differs from it: either an alteration, or (the innocent explanation) a later legitimate revision. Critical because the verified version shows what the content was; not proof of tampering in the cryptographic sense (no proof is claimed). A copy whose content is identical to the verified one is only a note.',
      severity: 'critical',
    },
    run(docs) {
      const out = new Map<number, Finding[]>();
      const items = byItem(docs);
      for (const pair of pairsOf(docs)) {
        const a = items.get(pair.a);
        const b = items.get(pair.b);
        if (!a || !b || a.verified === b.verified) continue;
        const [original, copy] = a.verified ? [a, b] : [b, a];
        const differs = pair.changeCount > 0;
        addFinding(out, copy.itemId, {
          check: 'doc.near-copy-of-verified',
          severity: differs ? 'critical' : 'info',
          message: differs
            ? `near copy of verified item #${original.itemId} with ${pair.changeCount} ${pair.basis === 'cells' ? 'changed cell' : 'changed passage'}${pair.changeCount === 1 ? '' : 's'}`
            : `same ${pair.basis === 'cells' ? 'cells' : 'text'} as verified item #${original.itemId} (different file bytes)`,
          evidence: pairEvidence(pair, original),
        });
      }
      return out;
    },
  };

  const plain: DocumentCheck = {
    meta: {
      id: 'doc.near-copy',
      title: 'Near copy of another item',
      description:
        'Two unverified items have nearly the same content (MinHash over 5-word shingles, or cell-by-cell for spreadsheets, similarity ≥ 0.8); the evidence shows what differs. Neither is known to be the original. Innocent explanation: drafts and revisions of the same document, a file saved in two formats. A note for the reader, not a red flag.',
      severity: 'info',
    },
    run(docs) {
      const out = new Map<number, Finding[]>();
      const items = byItem(docs);
      for (const pair of pairsOf(docs)) {
        const a = items.get(pair.a);
        const b = items.get(pair.b);
        if (!a || !b || a.verified || b.verified) continue;
        for (const [self, other] of [[a, b], [b, a]] as const) {
          addFinding(out, self.itemId, {
            check: 'doc.near-copy',
            severity: severityFor(self, 'info'),
            message: pair.changeCount
              ? `near copy of item #${other.itemId} (${pair.changeCount} difference${pair.changeCount === 1 ? '' : 's'})`
              : `same ${pair.basis === 'cells' ? 'cells' : 'text'} as item #${other.itemId}`,
            evidence: pairEvidence(pair, other),
          });
        }
      }
      return out;
    },
  };
  return { ofVerified, plain };
}
