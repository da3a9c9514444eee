import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { label, signatureEvidence } from './evidence.js';

/** dkim.key-revoked: the only key records found have an empty p=. */
export const dkimKeyRevoked: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.key-revoked',
    title: 'DKIM key revoked',
    description:
      'The key record has an empty p=: the domain withdrew the key, so the signature cannot be checked against it. ' +
      'Innocent explanation: revocation usually follows rotation; it is not evidence against the message. An archived copy of the key from before revocation would allow the check.',
    severity: 'info',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      const tried = s.headerSignature.keysTried;
      if (!tried.some((k) => k.outcome === 'revoked') || s.headerSignature.status === 'pass') continue;
      const sources = tried.filter((k) => k.outcome === 'revoked').map((k) => k.source);
      out.push({
        check: 'dkim.key-revoked',
        severity: 'info',
        message: `Key ${s.s ?? '?'}._domainkey.${s.d ?? '?'} is revoked (empty p= at ${sources.join(', ')}): ${label(s)} cannot be checked with it`,
        evidence: { ...signatureEvidence(s), revokedSources: tried.filter((k) => k.outcome === 'revoked').map((k) => k.source), bodyHash: s.bodyHash.status },
      });
    }
    return out;
  },
};
