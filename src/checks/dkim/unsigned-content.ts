import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { label, signatureEvidence } from './evidence.js';

/** dkim.unsigned-content: l= left part of the body unsigned. */
export const dkimUnsignedContent: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.unsigned-content',
    title: 'Body content beyond the signed length (l=)',
    description:
      'The signature covers only the first l= bytes of the body; anything after them can be added by anyone without breaking the signature, so the message is not verified as a whole. ' +
      'When the signature otherwise verifies, the unsigned tail is proof that these bytes are not what was signed: the item is tampered (docs/verdicts.md). ' +
      'Innocent explanation: some signers use l= so that mailing-list footers do not break the signature; the unsigned tail is then usually a footer, and a valid ARC chain from the list says so.',
    severity: 'critical',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      if (s.bodyHash.unsignedLength <= 0) continue;
      out.push({
        check: 'dkim.unsigned-content',
        severity: s.cryptoValid ? 'critical' : 'warning',
        ...(s.cryptoValid ? { proof: 'disproves' as const } : {}),
        message: `${s.bodyHash.unsignedLength} body bytes after l=${s.bodyHash.signedLength ?? '?'} are not signed by ${label(s)}`,
        evidence: {
          ...signatureEvidence(s),
          signedLength: s.bodyHash.signedLength ?? null,
          canonicalLength: s.bodyHash.canonicalLength ?? null,
          unsignedLength: s.bodyHash.unsignedLength,
          unsignedPreview: s.bodyHash.unsignedPreview ?? '',
          bodyHash: s.bodyHash.status,
        },
      });
    }
    return out;
  },
};
