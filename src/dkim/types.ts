// Result types of the forensic DKIM/ARC verifier. Everything is plain JSON (no Buffers, no Dates)
// so results can be stored in the case and rendered in reports as they are.
import type { DkimKey } from '../keys/types.js';

export type DkimAlgorithm = 'rsa-sha256' | 'rsa-sha1' | 'ed25519-sha256';

/**
 * Overall RFC-style outcome of one signature:
 * - `pass`: body hash and header signature verify with a usable key and no rule of RFC 6376 is broken;
 * - `fail`: the body hash or the header signature does not verify;
 * - `permerror`: the signature or its key cannot be used as written (syntax, unsupported values,
 *   From not signed, i= outside d=, revoked or constrained key, expired at the message's date);
 * - `nokey`: no key record is known for s=/d= (the header signature is unverifiable).
 * Crypto facts are reported separately in `bodyHash` / `headerSignature` whatever this says.
 */
export type SignatureResult = 'pass' | 'fail' | 'permerror' | 'nokey';

export interface BodyHashResult {
  /** `not-checked` when the signature lacks what is needed (a=, c=, bh= unusable). */
  status: 'pass' | 'fail' | 'not-checked';
  reason?: string;
  /** bh= as written (whitespace removed). */
  expected?: string;
  /** Base64 hash of the canonical body we computed (up to l= when present). */
  computed?: string;
  /** Length of the whole canonical body in bytes. */
  canonicalLength?: number;
  /** l= value, when present. */
  signedLength?: number;
  /** Canonical body bytes after l= (0 when the whole body is signed). */
  unsignedLength: number;
  /** First bytes of the unsigned tail, decoded as UTF-8 for display. */
  unsignedPreview?: string;
}

/** One key record tried for a signature. */
export interface KeyAttempt {
  source: string;
  firstSeenAt?: string;
  lastSeenAt?: string;
  /** `verified`: signature verifies; `mismatch`: usable key, signature does not verify with it. */
  outcome: 'verified' | 'mismatch' | 'revoked' | 'unusable';
  /**
   * For `mismatch`, why (RSA without padding, see recoverRsaDigest): `signed-data-changed` this key
   * made the signature, over other header data; `not-signer` another key made it; `undetermined`
   * Ed25519, which cannot tell the two apart.
   */
  cause?: 'signed-data-changed' | 'not-signer' | 'undetermined';
  /** For `signed-data-changed`: the digest the signer signed and the one of the data we have (base64). */
  hashes?: { algorithm: 'sha256' | 'sha1'; recovered: string; computed: string };
  /** Why the key could not be used (syntax, k=/h=/s=/t=s/g= constraint, undecodable). */
  reason?: string;
  keyType?: string;
  bits?: number;
  testing?: boolean;
}

/** For `unverifiable` for want of a key: none archived, none usable (or revoked), or the lookup failed. */
export type KeyGap = 'no-key' | 'unusable-key' | 'lookup-failed';

export interface HeaderSignatureResult {
  status: 'pass' | 'fail' | 'unverifiable';
  /** For `fail`/`unverifiable`: e.g. "no key", "key revoked", "signature does not verify". */
  reason?: string;
  /**
   * For `fail`: `signed-data-changed` a tried key provably made the signature (tampering);
   * `key-mismatch` none of the keys made it (rotated or wrong key: nothing proven either way);
   * `undetermined` an Ed25519 key that does not verify (either).
   */
  cause?: 'signed-data-changed' | 'key-mismatch' | 'undetermined' | KeyGap;
  /** Every key record tried, in archive order. */
  keysTried: KeyAttempt[];
  /** The key that verified (when `pass`), or that provably made the signature (`signed-data-changed`). */
  key?: KeyAttempt;
}

/** A field listed in h= that occurs more often in the message than it is listed. */
export interface UnsignedInstance {
  name: string;
  present: number;
  signed: number;
  /** The instances left unsigned (the topmost ones: h= picks from the bottom). */
  unsigned: { line: number; value: string }[];
}

export interface CoverageResult {
  /** h= lists From (RFC 6376 5.4: required). */
  fromSigned: boolean;
  /** Unsigned extra instances of signed fields: another header could be shown to the reader. */
  unsignedInstances: UnsignedInstance[];
  /** Names listed more often than present (protects against added instances; fine). */
  oversigned: string[];
  /** Malformed header lines (no ':'), which some mail readers fold into the field above. */
  strayLines: { line: number; text: string; after?: string }[];
}

export interface AlignmentResult {
  fromDomain?: string;
  /** `strict`: d= equals the From domain; `relaxed`: same organisational domain; `none`. */
  alignment: 'strict' | 'relaxed' | 'none' | 'unknown';
  signingOrgDomain?: string;
  fromOrgDomain?: string;
}

export interface TimeResult {
  /** t= as ISO. */
  signedAt?: string;
  /** x= as ISO. */
  expiresAt?: string;
  /** Message Date: as ISO (the clock we judge by). */
  messageDate?: string;
  /** x= before the message's Date: (or before t=): the signature was already expired when sent. */
  expiredAtMessageDate?: boolean;
  /** t= minus Date: in seconds (positive: signed after the stated date). */
  skewSeconds?: number;
  /** t= later than Date: by more than one day, or earlier by more than one day. */
  farFromDate?: boolean;
  /** t= after Date: (beyond 15 minutes of clock skew). */
  signedAfterDate?: boolean;
}

/** One DKIM-Signature (or ARC-Message-Signature) and everything we could establish about it. */
export interface DkimSignatureResult {
  /** 0-based order among DKIM-Signature fields, topmost first. */
  index: number;
  /** 1-based line of the header field in the message. */
  line: number;
  /** The header field value as found (latin1-decoded, folding kept). */
  header: string;
  /** Tag values as parsed (b= included). */
  tags: { [tag: string]: string };
  /** Syntax/support problems. Non-empty means malformed (the signature is still reported). */
  parseErrors: string[];
  /** RFC 6376 rules broken though crypto may still verify (From unsigned, i= outside d=, ...). */
  ruleViolations: string[];
  result: SignatureResult;
  /** Body hash and header signature both verify with some key (policy aside). */
  cryptoValid: boolean;
  d?: string;
  s?: string;
  i?: string;
  algorithm?: string;
  canonicalization?: { header: string; body: string };
  signedHeaders: string[];
  bodyHash: BodyHashResult;
  headerSignature: HeaderSignatureResult;
  coverage: CoverageResult;
  alignment: AlignmentResult;
  time: TimeResult;
  /** Forensic weaknesses: 'rsa-sha1', 'rsa-key-<n>-bits', 'key-testing', 'partial-body'. */
  weaknesses: string[];
}

export interface ArcSealResult {
  instance: number;
  header: string;
  tags: { [tag: string]: string };
  parseErrors: string[];
  cv?: string;
  d?: string;
  s?: string;
  algorithm?: string;
  signature: HeaderSignatureResult;
}

/** The AAR of a set: what that hop says it saw (e.g. `dkim=pass header.d=example.org`). */
export interface ArcAuthResults {
  instance: number;
  header: string;
  authservId?: string;
  dkim: { result: string; domain?: string }[];
}

export interface ArcSetResult {
  instance: number;
  seal?: ArcSealResult;
  messageSignature?: DkimSignatureResult;
  authResults?: ArcAuthResults;
  /** AMS body hash and signature verify now. */
  amsValid: boolean;
  /** Seal verifies now. */
  sealValid: boolean;
}

export interface ArcResult {
  /** RFC 8617 chain validation (`none`: no ARC headers). */
  chain: 'none' | 'pass' | 'fail';
  /**
   * The chain is `fail` only because a seal or ARC-Message-Signature cannot be checked: its key is
   * not archived, not usable, or provably not the one that signed. RFC 8617 calls that a failure;
   * as evidence it is unknown (nothing failed with its key).
   */
  unknown: boolean;
  reason?: string;
  /** Highest instance number found. */
  instances: number;
  sets: ArcSetResult[];
  /** Lowest instance whose AMS still verifies (RFC 8617 "oldest-pass"); undefined if none. */
  oldestPass?: number;
  /** AMS of instance 1 verifies: nothing changed since the first hop sealed. null without ARC. */
  ams1Pass: boolean | null;
  /** Domains that sealed, by instance. */
  sealers: string[];
}

export interface EmailAuthResult {
  from: { address?: string; domain?: string };
  /** Date: as ISO. */
  date?: string;
  signatures: DkimSignatureResult[];
  arc: ArcResult;
  /** Keys that verified a DKIM signature, ARC seal or AMS. */
  keysUsed: DkimKey[];
}
