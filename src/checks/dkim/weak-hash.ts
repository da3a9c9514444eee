import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { label, signatureEvidence } from './evidence.js';

/** dkim.weak-hash: rsa-sha1 signatures are verified but noted. */
export const dkimWeakHash: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.weak-hash',
    title: 'Deprecated hash rsa-sha1',
    description:
      'RFC 8301 deprecates rsa-sha1: SHA-1 collisions are practical, so a signer can be tricked into signing a colliding message. We still verify it; forging one without the signer\'s help is not practical. ' +
      'Innocent explanation: rsa-sha1 was common until about 2017.',
    severity: 'warning',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      if (s.algorithm !== 'rsa-sha1') continue;
      out.push({
        check: 'dkim.weak-hash',
        severity: 'warning',
        message: `${label(s)} uses rsa-sha1 (deprecated by RFC 8301)`,
        evidence: { ...signatureEvidence(s), result: s.result },
      });
    }
    return out;
  },
};
