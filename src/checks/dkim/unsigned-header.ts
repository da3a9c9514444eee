import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { TRACE_FIELDS, label, signatureEvidence } from './evidence.js';

/**
 * dkim.unsigned-header: an extra instance of a signed field (e.g. a second From above the signed
 * one) is what a reader sees while the signature still verifies. Disproves when the signature
 * is otherwise valid (cryptoValid): the displayed header was added after signing.
 * Also reports header lines without ':' (which some readers fold into the field above).
 */
export const dkimUnsignedHeader: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.unsigned-header',
    title: 'Unsigned extra instance of a signed header field',
    description:
      'h= selects header instances from the bottom; an additional instance above them (a second From, Subject, To) is not signed, yet mail readers show the topmost one. This is the classic way to keep a valid signature while changing what the reader sees. ' +
      'Innocent explanation: rare; some broken gateways duplicate headers. Trace fields added by later hops (Received, Authentication-Results) are ignored.',
    severity: 'critical',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      if (!s.cryptoValid) continue;
      for (const u of s.coverage.unsignedInstances) {
        if (TRACE_FIELDS.has(u.name)) continue;
        out.push({
          check: 'dkim.unsigned-header',
          severity: 'critical',
          proof: 'disproves',
          message: `${u.present - u.signed} unsigned extra ${u.name} field(s) next to the ${u.signed} signed by ${label(s)}: the reader may see the unsigned one`,
          evidence: { ...signatureEvidence(s), field: u.name, present: u.present, signed: u.signed, unsigned: u.unsigned },
        });
      }
    }
    const signed = auth.signatures.find((s) => s.cryptoValid);
    if (signed && signed.coverage.strayLines.length > 0) {
      out.push({
        check: 'dkim.unsigned-header',
        severity: 'warning',
        message: `${signed.coverage.strayLines.length} header line(s) without ':' are outside every signature; some readers show them as part of the field above`,
        evidence: { strayLines: signed.coverage.strayLines.map((l) => ({ line: l.line, text: l.text, after: l.after ?? null })) },
      });
    }
    return out;
  },
};
