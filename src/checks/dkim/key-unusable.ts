import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { label, signatureEvidence } from './evidence.js';

/**
 * dkim.key-unusable: an archived key record exists for the selector but cannot be used for this
 * signature (p= undecodable or too short, k= unknown, h= or s= excluding it, t=s or g= constraints).
 * Revoked keys (empty p=) are dkim.key-revoked. The record's source names its file and line.
 */
export const dkimKeyUnusable: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.key-unusable',
    title: 'Archived key record cannot be used',
    description:
      'A key record is archived under the signature\'s selector but cannot check it: its p= does not decode (often a record cut or re-wrapped when saved), it is too short, its k= is neither rsa nor ed25519, or its h=, s=, t=s or g= tags exclude this signature. The signature stays unverifiable, as without a key. ' +
      'Innocent explanation: a key file damaged when saved or copied, or a record from another use of the selector. Not evidence about the message; fix the key file (the finding names its file and line) or find another copy.',
    severity: 'info',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      if (s.headerSignature.status === 'pass') continue;
      for (const k of s.headerSignature.keysTried) {
        if (k.outcome !== 'unusable') continue;
        out.push({
          check: 'dkim.key-unusable',
          severity: 'info',
          message: `Key record at ${k.source} cannot check ${label(s)}: ${k.reason ?? 'unusable'}`,
          evidence: { ...signatureEvidence(s), keyRecordSource: k.source, problem: k.reason ?? 'unusable', bodyHash: s.bodyHash.status },
        });
      }
    }
    return out;
  },
};
