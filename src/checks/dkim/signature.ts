import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { isProof, label, signatureEvidence } from './evidence.js';
import { provenanceNote } from './provenance.js';

/** dkim.signature: the one finding that can prove an email authentic. */
export const dkimSignature: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.signature',
    title: 'Valid DKIM signature proves origin and integrity',
    description:
      'A DKIM signature that verifies with the published key, is aligned with the From domain, uses an RSA key of at least 1024 bits (or Ed25519), signs From, leaves no extra unsigned instance of a signed field and covers the whole body proves that the signing domain sent these exact bytes. ' +
      'Innocent caveats: it proves the domain, not the person; a key whose private half leaked or was published after rotation proves nothing for mail that cannot be dated before that (see the key archive dates in the evidence).',
    severity: 'info',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      if (!isProof(s)) continue;
      out.push({
        check: 'dkim.signature',
        severity: 'info',
        proof: 'proves',
        message: `Valid DKIM signature by ${label(s)} (${s.algorithm ?? '?'}), aligned with From ${auth.from.domain ?? '?'}, covering the whole message`,
        evidence: {
          ...signatureEvidence(s),
          alignment: s.alignment.alignment,
          fromDomain: auth.from.domain ?? null,
          signedHeaders: s.signedHeaders,
          ...(s.headerSignature.key ? { keyProvenance: provenanceNote(s.headerSignature.key, auth.date) } : {}),
        },
      });
    }
    return out;
  },
};
