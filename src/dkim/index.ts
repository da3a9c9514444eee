// Forensic DKIM/ARC verifier (RFC 6376, 8301, 8463, 8617), hand-written on node:crypto because
// receiver libraries (mailauth included) stop at the first failure, drop malformed signatures,
// refuse small keys and accept what RFC 6376 says must fail; forensics needs every fact.
import type { KeyResolver } from '../keys/types.js';
import { verifyArc } from './arc.js';
import { parseMailDate } from './date.js';
import { domainOf, extractAddress } from './domain.js';
import { firstHeader, parseMessage } from './message.js';
import type { EmailAuthResult } from './types.js';
import { verifySignatureField, type VerifyContext } from './verify.js';

export type * from './types.js';

export interface VerifyOptions {
  keys: KeyResolver;
}

/** Verifies every DKIM signature and the ARC chain of one message given as its exact bytes. */
export async function verifyEmail(raw: Buffer, opts: VerifyOptions): Promise<EmailAuthResult> {
  const msg = parseMessage(raw);
  const fromField = firstHeader(msg.headers, 'from');
  const address = fromField ? extractAddress(Buffer.from(fromField.value, 'latin1').toString('utf8')) : undefined;
  const domain = address ? domainOf(address) : undefined;
  const dateField = firstHeader(msg.headers, 'date');
  const dateMs = dateField ? parseMailDate(dateField.value) : undefined;
  const ctx: VerifyContext = {
    headers: msg.headers,
    body: msg.body,
    keys: opts.keys,
    bodyCache: new Map(),
    bodyHashCache: new Map(),
    keysUsed: [],
    ...(domain ? { fromDomain: domain } : {}),
    ...(dateMs !== undefined ? { dateMs } : {}),
  };
  const sigFields = msg.headers.filter((h) => h.lname === 'dkim-signature');
  const signatures = [];
  for (let i = 0; i < sigFields.length; i++) signatures.push(await verifySignatureField(sigFields[i]!, i, ctx, 'dkim'));
  const arc = await verifyArc(ctx);
  const from: EmailAuthResult['from'] = {};
  if (address) from.address = address;
  if (domain) from.domain = domain;
  const result: EmailAuthResult = { from, signatures, arc, keysUsed: ctx.keysUsed };
  if (dateMs !== undefined) result.date = new Date(dateMs).toISOString();
  return result;
}
