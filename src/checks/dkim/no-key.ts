import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { label, signatureEvidence } from './evidence.js';

/** dkim.no-key: the header signature cannot be checked; the body hash still was. */
export const dkimNoKey: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.no-key',
    title: 'No key to verify the DKIM signature',
    description:
      'No key record for s=/d= is in the key sources, so the header signature is unverifiable (the body hash is still reported). ' +
      'Not a red flag by itself: keys rotate and old ones vanish from DNS. Add an archive of historical keys (--keys) to check it.',
    severity: 'info',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      if (s.headerSignature.status !== 'unverifiable' || s.headerSignature.keysTried.length > 0) continue;
      if (!s.d || !s.s) continue; // malformed: reported by dkim.malformed
      out.push({
        check: 'dkim.no-key',
        severity: 'info',
        message: `No key for ${s.s}._domainkey.${s.d}: header signature unverifiable (body hash ${s.bodyHash.status})`,
        evidence: { ...signatureEvidence(s), lookup: `${s.s}._domainkey.${s.d}`, reason: s.headerSignature.reason ?? null, bodyHash: s.bodyHash.status, label: label(s) },
      });
    }
    return out;
  },
};
