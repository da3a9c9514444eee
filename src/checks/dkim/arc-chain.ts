import type { Check } from '../check.js';
import type { Finding, Json } from '../../model.js';
import type { ArcResult, DkimSignatureResult } from '../../dkim/types.js';
import type { EmailAuthContext } from './context.js';
import { normaliseDomain } from '../../domains/index.js';
import { compact, label } from './evidence.js';

/**
 * arc.chain. DKIM failures are still emitted by the dkim.* checks as usual; this check emits an
 * info finding with evidence `explains: true` when a valid ARC chain accounts for them, and the
 * verdict layer (src/verdict/rules.ts) downgrades the disproof. It explains only when:
 * the chain passes (RFC 8617), a DKIM signature fails, and the hop whose AMS is the oldest still
 * verifying (the one that last changed the message) reported dkim=pass for that signer on receipt.
 */
export const arcChain: Check<EmailAuthContext> = {
  meta: {
    id: 'arc.chain',
    title: 'ARC chain (modification in transit)',
    description:
      'ARC lets each intermediary (mailing list, forwarder) seal what it received and what it forwarded. A valid chain whose modifying hop reports the author\'s DKIM signature as valid on receipt explains a later DKIM failure as a benign change (subject tag, footer). ' +
      'Caveat: ARC vouches only as far as the sealing domains are trusted; anyone can seal with their own domain. A chain that fails with its archived keys is a warning, not proof; innocent explanation: intermediaries that modify mail after sealing. A seal whose key is not archived (Gmail and Microsoft seal nearly every message) leaves the chain unknown: a note, never a red flag.',
    severity: 'warning',
  },
  run({ auth }) {
    const arc = auth.arc;
    if (arc.chain === 'none') return [];
    const base = chainEvidence(arc);
    if (arc.chain === 'fail' && arc.unknown) {
      // Seals of providers whose keys no archive holds: no evidence, so never a red flag.
      return [{ check: 'arc.chain', severity: 'info', message: `ARC chain of ${arc.instances} hop(s) (${arc.sealers.join(', ')}) not checkable, unknown (not failed): ${arc.reason ?? 'key not archived'}`, evidence: { ...base, explains: false, reason: arc.reason ?? null } }];
    }
    if (arc.chain === 'fail') {
      return [{ check: 'arc.chain', severity: 'warning', message: `ARC chain broken: ${arc.reason ?? 'invalid'}`, evidence: { ...base, explains: false, reason: arc.reason ?? null } }];
    }
    const failing = auth.signatures.filter((s) => s.result === 'fail');
    const modifiedBy = arc.oldestPass ?? arc.instances;
    const modifier = arc.sets[modifiedBy - 1];
    const sawPass = (s: DkimSignatureResult): boolean =>
      (modifier?.authResults?.dkim ?? []).some((r) => r.result === 'pass' && (r.domain === undefined || (s.d !== undefined && normaliseDomain(r.domain) === normaliseDomain(s.d))));
    const explained = failing.filter(sawPass);
    const out: Finding = {
      check: 'arc.chain',
      severity: 'info',
      message: '',
      evidence: {
        ...base,
        explains: explained.length > 0 && explained.length === failing.length,
        modifiedBy,
        modifier: modifier?.seal?.d ?? null,
        failingSignatures: failing.map(label),
        explainedSignatures: explained.map(label),
        note: 'ARC vouches only as far as the sealing domains are trusted',
      },
    };
    if (failing.length === 0) out.message = `Valid ARC chain of ${arc.instances} hop(s) (${arc.sealers.join(', ')}); nothing to explain`;
    else if (out.evidence['explains'] === true) {
      out.message = `Modified in transit by i=${modifiedBy} (${modifier?.seal?.d ?? '?'}), explained by ARC: that hop saw a valid DKIM signature from ${explained.map((s) => s.d).join(', ')}`;
    } else {
      out.message = `Valid ARC chain, but it does not explain the DKIM failure of ${failing.filter((s) => !sawPass(s)).map(label).join(', ')}`;
    }
    return [out];
  },
};

function chainEvidence(arc: ArcResult): { [key: string]: Json } {
  return {
    chain: arc.chain,
    unknown: arc.unknown,
    instances: arc.instances,
    sealers: arc.sealers,
    oldestPass: arc.oldestPass ?? null,
    ams1Pass: arc.ams1Pass,
    sets: arc.sets.map((s) =>
      compact({
        instance: s.instance,
        sealer: s.seal?.d,
        cv: s.seal?.cv,
        sealValid: s.sealValid,
        amsValid: s.amsValid,
        authservId: s.authResults?.authservId,
        dkim: (s.authResults?.dkim ?? []).map((r) => compact({ result: r.result, domain: r.domain })),
      }),
    ),
  };
}
