// doc.near-copy-of-verified / doc.near-copy: the same content with a few differences in two items.
import { findNearCopies, type NearCopyOptions, type NearCopyPair } from '../../nearcopy/index.js';
import type { Finding, Json } from '../../model.js';
import { addFinding, severityFor, type DocumentCheck, type DocumentFacts } from './facts.js';
import { chainContradictions, nameCounts } from './version-chain.js';

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
        'The item is a near copy of a verified item (an attachment of a DKIM-verified email, say) but not identical: the evidence lists the words or cells that differ and names the verified item. Successive versions of one document (v1, v2, final, "(1)" copies) are near copies by nature, so a difference alone is a lead to show (info, with the diff). It becomes a red flag (critical) only when the metadata contradicts a version chain: another editing environment (application, producer, company or Office version), changed content under the verified version\'s own last-saved date and revision, a revision count that runs against the save dates, a save after the date of an email carrying the file, or an author or editor no other file of the case names. The verified version shows what the content was; no cryptographic proof of tampering is claimed. Innocent explanations for a red flag: a colleague re-saved the file with other software, an outside partner edited it, a clock was wrong. A copy whose content is identical to the verified one is only a note.',
      severity: 'critical',
    },
    run(docs) {
      const out = new Map<number, Finding[]>();
      const items = byItem(docs);
      let names: Map<string, number> | undefined;
      for (const pair of pairsOf(docs)) {
        const a = items.get(pair.a);
        const b = items.get(pair.b);
        if (!a || !b || a.verified === b.verified) continue;
        const [original, copy] = a.verified ? [a, b] : [b, a];
        const differs = pair.changeCount > 0;
        const changes = `${pair.changeCount} ${pair.basis === 'cells' ? 'changed cell' : 'changed passage'}${pair.changeCount === 1 ? '' : 's'}`;
        const contradictions = differs ? chainContradictions(original, copy, (names ??= nameCounts(docs))) : [];
        addFinding(out, copy.itemId, {
          check: 'doc.near-copy-of-verified',
          severity: contradictions.length ? 'critical' : 'info',
          message: !differs
            ? `same ${pair.basis === 'cells' ? 'cells' : 'text'} as verified item #${original.itemId} (different file bytes)`
            : contradictions.length
              ? `near copy of verified item #${original.itemId} with ${changes}, and metadata that contradicts a version chain: ${contradictions.map((c) => c.what).join('; ')}`
              : `another version of verified item #${original.itemId}? ${changes}; its metadata fits a version chain (a lead to read, not a red flag)`,
          evidence: { ...pairEvidence(pair, original), ...(differs ? { versionChain: contradictions.length ? 'contradicted' : 'consistent', contradictions: contradictions.map((c) => ({ kind: c.kind, what: c.what, ...c.detail })) } : {}) },
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
