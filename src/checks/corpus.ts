// Case-level checks: unlike per-item checks, these judge an email against others of the dump, because
// their evidence is a comparison (a reply against its original, a message against its sender's habit).
// The pipeline feeds them the case a page or a thread at a time (src/analyse/corpus.ts).
import { decodeWords, type Email } from 'postal-mime';
import { parseWithCharsets } from '../ingest/mime-charset.js';
import type { Finding } from '../model.js';
import type { CheckMeta } from './check.js';
import { parseMailDate } from './email/dates.js';
import { angleIds } from './email/headers.js';

/** One DKIM signature as verified by us, reduced to what the case-level checks need. */
export interface SignedFact {
  domain: string;
  pass: boolean;
  /** Signing domain is aligned (relaxed) with the From domain. */
  aligned: boolean;
  /**
   * Verifier outcome when known ('pass', 'fail', 'neutral', 'temperror', 'permerror', 'none'…).
   * Lets checks tell "recomputed and failed" from "could not be checked" (key missing, PST rebuild).
   */
  result?: string;
}

export interface EmailFacts {
  itemId: number;
  /** Exact bytes of the item. */
  raw: Buffer;
  /** In order, unfolded, RFC 2047 decoded for display; `name` keeps its original case. */
  headers: { name: string; value: string }[];
  from?: { address: string; domain: string; name?: string };
  /** ISO 8601 (UTC) from the Date: header, when it parses. */
  date?: string;
  /** Message ids without angle brackets. */
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** Plain-text body, decoded. */
  text?: string;
  signed: SignedFact[];
  /** The item carries DKIM proof (valid, aligned, adequate signature covering the whole item). */
  verified: boolean;
  /** Occurrence paths, e.g. 'dump.zip!alice/Sent Items/12.eml'; a Sent folder marks a client copy. */
  occurrencePaths: string[];
}

export interface CorpusSettings {
  /** Domains of the organisation the dump comes from. */
  orgDomains: string[];
  /** ISO date: the leak's cutoff, when known. */
  cutoff?: string;
}

export interface CorpusCheck {
  meta: CheckMeta;
  /**
   * Judges each email on its own facts (the corpus interface only for uniformity): the pipeline runs
   * it when the email is verified, where every header is at hand, and keeps its findings for the
   * comparison stage. Such a check must read neither the settings nor the occurrence paths, which
   * can change after verification.
   */
  perEmail?: boolean;
  /**
   * Judges emails only against others of their thread (threadGroups in email/thread-quote.ts): the
   * pipeline runs it one thread at a time, with each email's text.
   */
  perThread?: boolean;
  /**
   * Findings per item id; items without findings are absent. Must be deterministic. `emails` may be
   * iterated more than once, each time yielding fresh objects in the same order: the pipeline reads
   * them from the case one page at a time, so a check should keep only what it needs of each
   * (compare emails by itemId, not by identity).
   */
  run(emails: Iterable<EmailFacts>, settings: CorpusSettings): Map<number, Finding[]>;
}

const stripAngles = (id: string | undefined): string | undefined => {
  if (!id) return undefined;
  return angleIds(id)[0] ?? (id.trim() || undefined);
};

/**
 * Builds the facts of one email from its bytes. `extra` supplies what parsing cannot know (DKIM
 * results, occurrence paths) and overrides parsed fields. Never throws on malformed mail: a message
 * postal-mime cannot parse yields facts with no headers.
 */
export async function emailFactsFromRaw(itemId: number, raw: Buffer, extra: Partial<EmailFacts>): Promise<EmailFacts> {
  let parsed: Email | undefined;
  try {
    parsed = await parseWithCharsets(raw);
  } catch {
    parsed = undefined;
  }
  return emailFactsFromParsed(itemId, raw, parsed, extra);
}

/** The same from a message postal-mime has already parsed (undefined: it could not). */
export function emailFactsFromParsed(itemId: number, raw: Buffer, parsed: Email | undefined, extra: Partial<EmailFacts>): EmailFacts {
  const headers = (parsed?.headers ?? []).map((h) => ({ name: h.originalKey, value: safeDecode(h.value) }));
  const dateHeader = headers.find((h) => h.name.toLowerCase() === 'date')?.value;
  const time = dateHeader ? parseMailDate(dateHeader) : undefined;
  const mailbox = parsed?.from && parsed.from.address !== undefined ? parsed.from : undefined;
  const address = mailbox?.address?.trim().toLowerCase();
  const facts: EmailFacts = {
    itemId,
    raw,
    headers,
    from: address && address.includes('@')
      ? { address, domain: address.slice(address.lastIndexOf('@') + 1), ...(mailbox?.name ? { name: mailbox.name } : {}) }
      : undefined,
    date: time === undefined ? undefined : new Date(time).toISOString(),
    messageId: stripAngles(parsed?.messageId),
    inReplyTo: stripAngles(parsed?.inReplyTo),
    references: parsed?.references ? angleIds(parsed.references) : [],
    text: parsed?.text,
    signed: [],
    verified: false,
    occurrencePaths: [],
  };
  return { ...facts, ...extra, itemId };
}

function safeDecode(value: string): string {
  try {
    return decodeWords(value);
  } catch {
    return value;
  }
}
