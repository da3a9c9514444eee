import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { label, signatureEvidence } from './evidence.js';

/** dkim.expiry: x= judged at the message's own Date:, never at today's clock. */
export const dkimExpiry: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.expiry',
    title: 'Signature expired at the message date',
    description:
      'x= is the signer\'s expiry. A signature already expired at the message\'s Date: means the Date: was changed, or the message was re-sent long after signing. One that expired only later is normal for archived mail and is judged valid. ' +
      'Innocent explanation: a sender clock set wrong, or a message resent from an outbox.',
    severity: 'warning',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      const t = s.time;
      if (t.expiresAt === undefined) continue;
      const ev = { ...signatureEvidence(s), expiresAt: t.expiresAt, messageDate: t.messageDate ?? null, signedAt: t.signedAt ?? null };
      if (t.expiredAtMessageDate === true) {
        out.push({ check: 'dkim.expiry', severity: 'warning', message: `${label(s)} had already expired (x=${t.expiresAt}) at the message Date: ${t.messageDate ?? ''}`, evidence: ev });
      } else if (t.expiredAtMessageDate === false) {
        out.push({ check: 'dkim.expiry', severity: 'info', message: `${label(s)} expires ${t.expiresAt}, after the message Date:, so it is judged valid at that date`, evidence: ev });
      } else {
        out.push({ check: 'dkim.expiry', severity: 'info', message: `${label(s)} has an expiry (x=${t.expiresAt}) but no usable Date: to judge it by`, evidence: ev });
      }
    }
    return out;
  },
};
