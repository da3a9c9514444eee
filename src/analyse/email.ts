import type { Email } from 'postal-mime';
import type { Finding, Json } from '../model.js';
import { verifyEmail } from '../dkim/index.js';
import type { KeyResolver } from '../keys/index.js';
import { dkimChecks } from '../checks/dkim/index.js';
import { extractParts } from '../ingest/mime.js';
import { messageBytes } from '../ingest/message-start.js';
import { dkimTable } from './dkim-table.js';
import { storedEmailFacts, type StoredEmailFacts } from './email-facts.js';

export interface EmailAnalysis {
  findings: Finding[];
  metadata: { [key: string]: Json };
  text?: string;
  /** What the comparison checks read of it; none for a message rebuilt from Outlook storage (never compared). */
  emailFacts?: StoredEmailFacts;
}

/**
 * Checks one email's own bytes: its signatures and ARC chain, and the headers a reader needs; keeps
 * what the checks comparing it with other emails will read, from the same parse.
 */
export async function analyseEmail(file: Buffer, keys: KeyResolver, itemId = 0): Promise<EmailAnalysis> {
  const raw = messageBytes(file);
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
  let parsed: Email | undefined;
  const parts = await extractParts(raw, { onParsed: (email) => (parsed = email) });
  const dkim = rebuilt ? [] : dkimTable(auth);
  const metadata: { [key: string]: Json } = {
    from: parts.from ?? null,
    to: parts.to,
    cc: parts.cc,
    subject: parts.subject ?? null,
    date: parts.date ?? null,
    messageId: parts.messageId ?? null,
    inReplyTo: parts.inReplyTo ?? null,
    references: parts.references,
    dkim,
    ...(rebuilt ? { rebuiltFrom: rebuilt } : {}),
  };
  return {
    findings,
    metadata,
    ...(parts.text ? { text: parts.text } : {}),
    ...(rebuilt ? {} : { emailFacts: storedEmailFacts(itemId, raw, parsed, dkim, findings) }),
  };
}

/** The marker the Outlook readers put on the first line of a message they serialised. */
function rebuiltFrom(raw: Buffer): string | undefined {
  const m = /^X-Tamis-Rebuilt:[ \t]*([\w-]+)/i.exec(raw.subarray(0, 200).toString('latin1'));
  return m?.[1];
}
