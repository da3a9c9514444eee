import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { label, signatureEvidence } from './evidence.js';

/** dkim.alignment: a valid signature from another domain says nothing about the author. */
export const dkimAlignment: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.alignment',
    title: 'Valid signature not aligned with the From domain',
    description:
      'd= differs from the From domain (even at organisational level, judged with the Public Suffix List, private section included: alice.blogspot.com and bob.blogspot.com are two organisations): the signature proves that the signing domain handled the message, nothing about who wrote it. ' +
      'It is a note, not a red flag; innocent explanation: email service providers and mailing lists sign with their own domain. Whether the From domain normally signs its mail is judged by dkim.signing-habit.',
    severity: 'info',
  },
  run({ auth }) {
    const out: Finding[] = [];
    const anyAligned = auth.signatures.some((s) => s.cryptoValid && (s.alignment.alignment === 'strict' || s.alignment.alignment === 'relaxed'));
    for (const s of auth.signatures) {
      if (!s.cryptoValid || s.alignment.alignment !== 'none') continue;
      out.push({
        check: 'dkim.alignment',
        severity: 'info',
        message: `${label(s)} is valid but not aligned with From ${s.alignment.fromDomain ?? '?'}: it proves nothing about the author`,
        evidence: {
          ...signatureEvidence(s),
          fromDomain: s.alignment.fromDomain ?? null,
          signingOrgDomain: s.alignment.signingOrgDomain ?? null,
          fromOrgDomain: s.alignment.fromOrgDomain ?? null,
          otherAlignedSignature: anyAligned,
        },
      });
    }
    return out;
  },
};
