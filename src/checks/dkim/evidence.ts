// Shared evidence helpers: every DKIM finding names the signature it is about the same way.
import type { Json } from '../../model.js';
import type { DkimSignatureResult } from '../../dkim/types.js';

type JsonObject = { [key: string]: Json };

/** Drops undefined values so the object is valid JSON evidence. */
export function compact(o: { [key: string]: Json | undefined }): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** `d=example.org s=sel` for messages. */
export function label(s: DkimSignatureResult): string {
  return `d=${s.d ?? s.tags['d'] ?? '?'} s=${s.s ?? s.tags['s'] ?? '?'}`;
}

/** Identity of a signature in evidence: which one, signed by whom, checked with which key. */
export function signatureEvidence(s: DkimSignatureResult): JsonObject {
  const key = s.headerSignature.key;
  return compact({
    signature: s.index + 1,
    line: s.line,
    d: s.d ?? s.tags['d'],
    s: s.s ?? s.tags['s'],
    algorithm: s.algorithm,
    canonicalization: s.canonicalization ? `${s.canonicalization.header}/${s.canonicalization.body}` : undefined,
    keySource: key?.source,
    keyBits: key?.bits,
    keyFirstSeenAt: key?.firstSeenAt,
    keyLastSeenAt: key?.lastSeenAt,
  });
}

/** Trace fields that later hops legitimately add above signed ones. */
export const TRACE_FIELDS = new Set([
  'received', 'return-path', 'delivered-to', 'x-received', 'authentication-results',
  'dkim-signature', 'arc-seal', 'arc-message-signature', 'arc-authentication-results',
]);

/** A signature that proves origin and integrity of the whole message (see dkim.signature). */
export function isProof(s: DkimSignatureResult): boolean {
  const bits = s.headerSignature.key?.bits;
  const weakKey = s.headerSignature.key?.keyType === 'rsa' && bits !== undefined && bits < 1024;
  return (
    s.result === 'pass' &&
    (s.alignment.alignment === 'strict' || s.alignment.alignment === 'relaxed') &&
    !weakKey &&
    s.coverage.fromSigned &&
    s.coverage.unsignedInstances.every((u) => TRACE_FIELDS.has(u.name)) &&
    s.coverage.strayLines.length === 0 &&
    s.bodyHash.unsignedLength === 0 &&
    s.time.expiredAtMessageDate !== true
  );
}
