import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { KeyAttempt } from '../../dkim/types.js';
import type { EmailAuthContext } from './context.js';
import { compact, label, signatureEvidence } from './evidence.js';

/**
 * dkim.header-signature. Proof choice: a mismatch disproves integrity when the signature is
 * well-formed and one of the keys it failed with was the selector's key at the message date
 * (archive dates cover Date:, or the archive gives no dates). With only keys from other periods,
 * the key may simply have rotated: warning, no proof.
 */
export const dkimHeaderSignature: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.header-signature',
    title: 'DKIM header signature does not verify',
    description:
      'The signed header fields (From, Subject, Date, ...) or the signature tags changed after signing, or the key is not the one used. ' +
      'Innocent explanations: the selector was reused with a new key (archive dates tell), a gateway rewrote a signed header, or the message was rebuilt from a mail store rather than kept as sent.',
    severity: 'critical',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      if (s.headerSignature.status !== 'fail') continue;
      const current = s.parseErrors.length === 0 && s.headerSignature.keysTried.some((k) => k.outcome === 'mismatch' && keyCurrentAt(k, auth.date));
      const f: Finding = {
        check: 'dkim.header-signature',
        severity: current ? 'critical' : 'warning',
        message: current
          ? `Signed headers changed after signing: ${label(s)} does not verify with the key in use at the message date`
          : `${label(s)} does not verify with the archived key(s), which may be from another period or the signature is malformed`,
        evidence: compact({
          ...signatureEvidence(s),
          signedHeaders: s.signedHeaders,
          keysTried: s.headerSignature.keysTried.map((k) => compact({ source: k.source, outcome: k.outcome, firstSeenAt: k.firstSeenAt, lastSeenAt: k.lastSeenAt })),
          messageDate: auth.date,
          bodyHash: s.bodyHash.status,
        }),
      };
      if (current) f.proof = 'disproves';
      out.push(f);
    }
    return out;
  },
};

function keyCurrentAt(k: KeyAttempt, date: string | undefined): boolean {
  if (!k.firstSeenAt && !k.lastSeenAt) return true;
  if (!date) return false;
  const t = Date.parse(date);
  const first = k.firstSeenAt ? Date.parse(k.firstSeenAt) : -Infinity;
  const last = k.lastSeenAt ? Date.parse(k.lastSeenAt) : Infinity;
  return t >= first && t <= last;
}

