import type { Check } from '../check.js';
import type { Finding } from '../../model.js';
import type { EmailAuthContext } from './context.js';
import { label, signatureEvidence } from './evidence.js';

const EXPIRY_RULE = /expired \(x=\)/;

/** dkim.malformed: signatures that are unusable as written, or break RFC 6376 verifier rules. */
export const dkimMalformed: Check<EmailAuthContext> = {
  meta: {
    id: 'dkim.malformed',
    title: 'Malformed or non-conforming DKIM signature',
    description:
      'The signature has syntax errors or unsupported values, or breaks a rule RFC 6376 makes verifiers enforce (From not in h=, i= outside d=). It cannot prove anything, even if its cryptography checks out (reported in the evidence). ' +
      'Innocent explanations: pre-standard signatures (DomainKeys-era drafts, v=0.5 or no v=) from before 2008, buggy signing software.',
    severity: 'warning',
  },
  run({ auth }) {
    const out: Finding[] = [];
    for (const s of auth.signatures) {
      const rules = s.ruleViolations.filter((r) => !EXPIRY_RULE.test(r));
      if (s.parseErrors.length === 0 && rules.length === 0) continue;
      out.push({
        check: 'dkim.malformed',
        severity: 'warning',
        message: `Signature ${s.index + 1} (${label(s)}) is not usable as proof: ${[...s.parseErrors, ...rules].join('; ')}`,
        evidence: {
          ...signatureEvidence(s),
          parseErrors: s.parseErrors,
          ruleViolations: rules,
          bodyHash: s.bodyHash.status,
          headerSignature: s.headerSignature.status,
          header: s.header.slice(0, 500),
        },
      });
    }
    return out;
  },
};
