import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { compact, label, signatureEvidence } from './evidence.js';

/**
 * dkim.body-hash. Proof choice: a body hash mismatch disproves integrity only when the header
 * signature verified, because only then is bh= the signer's authenticated statement. Without a
 * verified header signature bh= could itself be fabricated: critical, but no proof.
 */
export const dkimBodyHash: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.body-hash',
    title: 'DKIM body hash mismatch',
    description:
      'The body we hash differs from the body the signer hashed (bh=). With a verifying header signature this proves the body changed after signing. ' +
      'Innocent explanations: a mailing list footer or a re-encoding gateway (see arc.chain), or a copy re-saved by a mail client that normalised line endings or re-wrapped text.',
    severity: 'critical',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      if (s.bodyHash.status !== 'fail') continue;
      const headerVerified = s.headerSignature.status === 'pass';
      const f: Finding = {
        check: 'dkim.body-hash',
        severity: 'critical',
        message: headerVerified
          ? `Body changed after signing: ${label(s)} header signature verifies but the body hash does not match`
          : `Body hash of ${label(s)} does not match (header signature ${s.headerSignature.status}: ${s.headerSignature.reason ?? ''})`,
        evidence: compact({
          ...signatureEvidence(s),
          expected: s.bodyHash.expected,
          computed: s.bodyHash.computed,
          reason: s.bodyHash.reason,
          canonicalLength: s.bodyHash.canonicalLength,
          signedLength: s.bodyHash.signedLength,
          headerSignature: s.headerSignature.status,
        }),
      };
      if (headerVerified) f.proof = 'disproves';
      out.push(f);
    }
    return out;
  },
};
