import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { label, signatureEvidence } from './evidence.js';

const MIN_RSA_BITS = 1024;

/** dkim.key-strength: RSA keys under 1024 bits are still checked but prove nothing. */
export const dkimKeyStrength: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.key-strength',
    title: 'Weak RSA key (under 1024 bits)',
    description:
      'RSA keys under 1024 bits can be factored cheaply today (512 bits: hours on rented machines), so anyone could have made this signature; it is reported but is not proof (RFC 8301). ' +
      'Innocent explanation: many domains used 512- or 768-bit keys before about 2012; the mail may still be genuine.',
    severity: 'warning',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      const k = s.headerSignature.key;
      if (s.headerSignature.status !== 'pass' || !k || k.keyType !== 'rsa' || k.bits === undefined || k.bits >= MIN_RSA_BITS) continue;
      out.push({
        check: 'dkim.key-strength',
        severity: 'warning',
        message: `${label(s)} verifies, but with a ${k.bits}-bit RSA key that can be factored: forgeable, not proof`,
        evidence: { ...signatureEvidence(s), keyBits: k.bits, minimumBits: MIN_RSA_BITS },
      });
    }
    return out;
  },
};
