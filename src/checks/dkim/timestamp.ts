import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { label, signatureEvidence } from './evidence.js';

/** dkim.timestamp: t= (when the signer signed) should be close to Date: (when the author sent). */
export const dkimTimestamp: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.timestamp',
    title: 'Signing time far from the message date',
    description:
      'The signer records when it signed (t=). A Date: more than a day away from it, or a signing time after the Date: (beyond 15 minutes of clock skew), suggests the Date: header was changed — when Date is signed the change must predate signing. ' +
      'Innocent explanations: a draft written long before sending (Date: set at composition), a queued or resent message, a wrong sender clock.',
    severity: 'warning',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      const t = s.time;
      if (t.skewSeconds === undefined || (!t.farFromDate && !t.signedAfterDate)) continue;
      const hours = (t.skewSeconds / 3600).toFixed(1);
      const message = t.skewSeconds > 0 ? `${label(s)} was signed ${hours} h after the message Date:` : `${label(s)} was signed ${hours.replace('-', '')} h before the message Date:`;
      out.push({
        check: 'dkim.timestamp',
        severity: t.farFromDate ? 'warning' : 'info',
        message,
        evidence: { ...signatureEvidence(s), signedAt: t.signedAt ?? null, messageDate: t.messageDate ?? null, skewSeconds: t.skewSeconds, dateSigned: s.signedHeaders.includes('date') },
      });
    }
    return out;
  },
};
