import type { Finding, Json } from '../model.js';
import { verifyEmail } from '../dkim/index.js';
import type { KeyResolver } from '../keys/index.js';
import { dkimChecks } from '../checks/dkim/index.js';
import { extractParts } from '../ingest/mime.js';
import { dkimTable } from './dkim-table.js';

/** Checks one email's own bytes: its signatures and ARC chain, and the headers a reader needs. */
export async function analyseEmail(
  raw: Buffer,
  keys: KeyResolver,
): Promise<{ findings: Finding[]; metadata: { [key: string]: Json } }> {
  const auth = await verifyEmail(raw, { keys });
  const rebuilt = rebuiltFrom(raw);
  // Outlook stores parsed fields, not the signed bytes: a signature on a rebuilt message can never
  // match, and that says nothing about the original. Report it as not checkable, never as failed.
  const findings: Finding[] = rebuilt
    ? [
        {
          check: 'dkim.not-checkable',
          severity: 'info',
          message: `not cryptographically checkable (rebuilt from Outlook storage: ${rebuilt})`,
          evidence: { origin: rebuilt, signatures: auth.signatures.length },
        },
      ]
    : dkimChecks.flatMap((check) => check.run({ auth }));
  const parts = await extractParts(raw);
  const metadata: { [key: string]: Json } = {
    from: parts.from ?? null,
    to: parts.to,
    cc: parts.cc,
    subject: parts.subject ?? null,
    date: parts.date ?? null,
    messageId: parts.messageId ?? null,
    inReplyTo: parts.inReplyTo ?? null,
    references: parts.references,
    dkim: rebuilt ? [] : dkimTable(auth),
    ...(rebuilt ? { rebuiltFrom: rebuilt } : {}),
  };
  return { findings, metadata, ...(parts.text ? { text: parts.text } : {}) };
}

/** The marker the Outlook readers put on the first line of a message they serialised. */
function rebuiltFrom(raw: Buffer): string | undefined {
  const m = /^X-Tamis-Rebuilt:[ \t]*([\w-]+)/i.exec(raw.subarray(0, 200).toString('latin1'));
  return m?.[1];
}
