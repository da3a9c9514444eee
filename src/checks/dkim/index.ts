// All DKIM/ARC checks, in report order.
import type { Check } from '../check.js';
import type { EmailAuthContext } from './context.js';
import { dkimAlignment } from './alignment.js';
import { arcChain } from './arc-chain.js';
import { dkimBodyHash } from './body-hash.js';
import { dkimExpiry } from './expiry.js';
import { dkimHeaderSignature } from './header-signature.js';
import { dkimKeyMismatch } from './key-mismatch.js';
import { dkimKeyRevoked } from './key-revoked.js';
import { dkimKeyStrength } from './key-strength.js';
import { dkimKeyUnusable } from './key-unusable.js';
import { dkimMalformed } from './malformed.js';
import { dkimNoKey } from './no-key.js';
import { dkimSignature } from './signature.js';
import { dkimTimestamp } from './timestamp.js';
import { dkimUnsignedContent } from './unsigned-content.js';
import { dkimUnsignedHeader } from './unsigned-header.js';
import { dkimWeakHash } from './weak-hash.js';

export type { EmailAuthContext } from './context.js';

export const dkimChecks: Check<EmailAuthContext>[] = [
  dkimSignature,
  dkimBodyHash,
  dkimHeaderSignature,
  dkimKeyMismatch,
  dkimUnsignedContent,
  dkimUnsignedHeader,
  dkimKeyStrength,
  dkimWeakHash,
  dkimAlignment,
  dkimExpiry,
  dkimTimestamp,
  dkimMalformed,
  dkimNoKey,
  dkimKeyRevoked,
  dkimKeyUnusable,
  arcChain,
];

export {
  arcChain,
  dkimAlignment,
  dkimBodyHash,
  dkimExpiry,
  dkimHeaderSignature,
  dkimKeyMismatch,
  dkimKeyRevoked,
  dkimKeyStrength,
  dkimKeyUnusable,
  dkimMalformed,
  dkimNoKey,
  dkimSignature,
  dkimTimestamp,
  dkimUnsignedContent,
  dkimUnsignedHeader,
  dkimWeakHash,
};
