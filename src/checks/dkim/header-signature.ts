import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { compact, label, signatureEvidence } from './evidence.js';
import { provenanceNote } from './provenance.js';

/**
 * dkim.header-signature. Proof choice: a header signature that does not verify disproves integrity
 * only when the key provably made it (RSA: b= opened with the key without padding is a well-formed
 * PKCS#1 v1.5 block, src/dkim/keycheck.ts): its digest differs from ours, so signed header data
 * changed. Key archive dates do not enter into it (they only shape the provenance note). A key that
 * did not make the signature is dkim.key-mismatch, never this; Ed25519 cannot tell, see there.
 */
export const dkimHeaderSignature: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.header-signature',
    title: 'Signed header fields changed after signing',
    description:
      'The header signature (b=) does not verify, and the archived key provably made it: opened with the key, b= holds the signer\'s hash of the signed header fields (From, Subject, Date, ... and the signature tags), which differs from the hash of the fields we have. Both hashes are in the evidence. ' +
      'Innocent explanations: a gateway that rewrote a signed header (e.g. re-encoded a Subject), or a message rebuilt from a mail store rather than kept as sent; a valid ARC chain from the rewriting hop says so.',
    severity: 'critical',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      const hs = s.headerSignature;
      if (hs.status !== 'fail' || hs.cause !== 'signed-data-changed' || !hs.key?.hashes) continue;
      const h = hs.key.hashes;
      const malformed = s.parseErrors.length > 0;
      const f: Finding = {
        check: 'dkim.header-signature',
        severity: malformed ? 'warning' : 'critical',
        message: `Signed headers changed after signing: ${label(s)} was made by ${hs.key.source} over header data whose ${h.algorithm} hash is ${h.recovered}; the headers we have hash to ${h.computed}`,
        evidence: compact({
          ...signatureEvidence(s),
          signedHeaders: s.signedHeaders,
          hashAlgorithm: h.algorithm,
          signedHash: h.recovered,
          computedHash: h.computed,
          keyProvenance: provenanceNote(hs.key, auth.date),
          messageDate: auth.date,
          bodyHash: s.bodyHash.status,
          parseErrors: malformed ? s.parseErrors : undefined,
        }),
      };
      // A malformed signature cannot prove anything, this included (dkim.malformed says why).
      if (!malformed) f.proof = 'disproves';
      out.push(f);
    }
    return out;
  },
};
