import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { DkimSignatureResult } from '../../dkim/types.js';
import type { EmailAuthContext } from './context.js';
import { compact, label, signatureEvidence } from './evidence.js';
import { provenanceNote } from './provenance.js';

/**
 * dkim.key-mismatch. The archived key is not the one that signed: for RSA, b= opened with it is not
 * a PKCS#1 v1.5 block, which only another key explains (src/dkim/keycheck.ts). That proves nothing
 * about the message, so it is a note, and the body hash still counts on its own (dkim.body-hash).
 * Ed25519 signatures cannot be opened: a changed header and another key look the same, so a
 * mismatch there stays a warning without proof.
 */
export const dkimKeyMismatch: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.key-mismatch',
    title: 'Archived key is not the key that signed',
    description:
      'The signature was not made with the archived key for its selector: the key archive holds another key under that name, so the signature can neither prove nor disprove the message (the body hash is still checked on its own). For Ed25519 signatures this cannot be told from a header change, so it is a warning. ' +
      'Innocent explanations: the domain rotated the key and reused the selector name, the archive entry or the selector file is from another period or domain. Find the key of the message\'s period (another archive, a DNS snapshot) to check it.',
    severity: 'warning',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      const hs = s.headerSignature;
      if (hs.status !== 'fail' || (hs.cause !== 'key-mismatch' && hs.cause !== 'undetermined')) continue;
      const ed = hs.cause === 'undetermined';
      const tried = hs.keysTried.filter((k) => k.outcome === 'mismatch');
      const sources = tried.map((k) => k.source).join(', ');
      const body = bodyNote(s);
      out.push({
        check: 'dkim.key-mismatch',
        severity: ed ? 'warning' : 'info',
        message: ed
          ? `${label(s)} (Ed25519) does not verify with ${sources}: Ed25519 cannot tell a key that did not sign from a changed header, so neither is proven; ${body}`
          : `${label(s)} was not made with ${sources} (another key signed: rotated key or wrong archive entry); ${body}`,
        evidence: compact({
          ...signatureEvidence(s),
          selector: `${s.s ?? '?'}._domainkey.${s.d ?? '?'}`,
          keysTried: tried.map((k) => compact({ source: k.source, keyType: k.keyType, bits: k.bits, firstSeenAt: k.firstSeenAt, lastSeenAt: k.lastSeenAt, provenance: provenanceNote(k, auth.date) })),
          distinguishable: !ed,
          bodyHash: s.bodyHash.status,
          messageDate: auth.date,
        }),
      });
    }
    return out;
  },
};

function bodyNote(s: DkimSignatureResult): string {
  if (s.bodyHash.status === 'pass') return 'body intact, signer unproven';
  if (s.bodyHash.status === 'fail') return 'and the body hash does not match either (see dkim.body-hash)';
  return 'body hash not checked';
}
