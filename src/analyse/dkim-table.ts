import type { Json } from '../model.js';
import type { DkimSignatureResult, EmailAuthResult } from '../dkim/index.js';
import type { DkimRow } from '../report/types.js';

function row(sig: DkimSignatureResult, kind: string): Json {
  // Bits, source and outcome always describe the same key: the one that verified, else the first one
  // tried (so a failed signature names the key it failed with, not "no key" next to its size).
  const key = sig.headerSignature.key ?? sig.headerSignature.keysTried.find((k) => k.bits !== undefined) ?? sig.headerSignature.keysTried[0];
  // An archived key that provably did not make the signature leaves it as unverifiable as no key:
  // "signature not OK" would read as tampering, and the comparison checks must not count it as a
  // failure. keyOutcome ('mismatch') still says which key was tried and what it showed.
  const wrongKey = sig.headerSignature.cause === 'key-mismatch';
  const r: DkimRow & { kind: string; result: string; aligned: boolean } = {
    kind,
    d: sig.d ?? '',
    s: sig.s ?? '',
    algorithm: sig.algorithm ?? '',
    canonicalization: sig.canonicalization ? `${sig.canonicalization.header}/${sig.canonicalization.body}` : '',
    bodyHashOk: sig.bodyHash.status === 'not-checked' ? null : sig.bodyHash.status === 'pass',
    signatureOk: sig.headerSignature.status === 'unverifiable' || wrongKey ? null : sig.headerSignature.status === 'pass',
    keyBits: key?.bits ?? null,
    keySource: key?.source ?? null,
    keyOutcome: key?.outcome ?? null,
    result: wrongKey && sig.result === 'fail' ? 'nokey' : sig.result,
    aligned: sig.alignment.alignment === 'strict' || sig.alignment.alignment === 'relaxed',
  };
  return { ...r };
}

/** One row per DKIM signature and ARC message signature: the table a reader checks first. */
export function dkimTable(auth: EmailAuthResult): Json[] {
  const rows: Json[] = auth.signatures.map((s) => row(s, 'DKIM'));
  for (const set of auth.arc.sets) {
    if (set.messageSignature) rows.push(row(set.messageSignature, `ARC i=${set.instance}`));
  }
  return rows;
}
