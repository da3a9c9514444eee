// The facts of one email that the checks comparing emails read (src/checks/email), stored in the case
// when the email is verified: the comparison stage then neither parses any message again nor holds
// every email of the case (a 1 GB mbox can hold 270,000 of them).
import type { Email } from 'postal-mime';
import type { Finding, Json } from '../model.js';
import type { Case } from '../store/case.js';
import { emailFactsFromParsed, type EmailFacts, type SignedFact } from '../checks/corpus.js';
import { emailChecks } from '../checks/email/index.js';
import { quoteSearchKey, subjectKey, type ThreadLinks } from '../checks/email/thread-quote.js';

/** The stored JSON of one email (table email_facts). */
export interface StoredEmailFacts {
  /** Every header in order: [name] alone, or [name, value] for the values a comparison check reads. */
  headers: ([string] | [string, string])[];
  from?: { address: string; domain: string; name?: string };
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  signed: SignedFact[];
  verified: boolean;
  /** Findings of the checks that judge an email on its own (perEmail), run on every header. */
  own: Finding[];
  /** quoteSearchKey: the subject under which its quote looks for its original. */
  searches?: string;
}

/**
 * Header values the comparison checks read; other headers keep only their name (header order is a
 * fingerprint, Received and list headers are tested by name). Add a name when a check starts reading it.
 */
const KEPT_HEADERS = new Set(['subject', 'content-type', 'x-mailer', 'user-agent', 'precedence']);

/** Quote comparison looks at the start of a message; longer bodies are cut to keep memory bounded. */
const MAX_THREAD_TEXT = 200_000;

const NO_BYTES = Buffer.alloc(0);
const NO_SETTINGS = { orgDomains: [] };

/** The DKIM signatures of the verification table (dkim-table.ts), as the checks read them. */
export function signedFacts(rows: Json[]): SignedFact[] {
  const facts: SignedFact[] = [];
  for (const r of rows) {
    if (!r || typeof r !== 'object' || Array.isArray(r) || r['kind'] !== 'DKIM') continue;
    const result = typeof r['result'] === 'string' ? r['result'] : 'none';
    facts.push({ domain: String(r['d'] ?? ''), pass: result === 'pass', aligned: r['aligned'] === true, result });
  }
  return facts;
}

/**
 * Builds the stored facts of an email from postal-mime's parse of it, its DKIM table and the findings
 * of its verification ("verified" is its own DKIM proof, so no comparison leans on the checks being
 * run), and runs the perEmail checks on it.
 */
export function storedEmailFacts(itemId: number, raw: Buffer, parsed: Email | undefined, dkim: Json[], findings: Finding[]): StoredEmailFacts {
  const facts = emailFactsFromParsed(itemId, raw, parsed, {
    signed: signedFacts(dkim),
    verified: findings.some((f) => f.proof === 'proves') && !findings.some((f) => f.proof === 'disproves'),
  });
  const own = emailChecks.filter((c) => c.perEmail).flatMap((c) => [...c.run([facts], NO_SETTINGS).values()].flat());
  return {
    headers: facts.headers.map((h) => (KEPT_HEADERS.has(h.name.toLowerCase()) ? [h.name, h.value] : [h.name])),
    // Absent values are left out of the JSON by JSON.stringify.
    from: facts.from,
    date: facts.date,
    messageId: facts.messageId,
    inReplyTo: facts.inReplyTo,
    references: facts.references,
    signed: facts.signed,
    verified: facts.verified,
    own,
    searches: quoteSearchKey(facts),
  };
}

/**
 * One email as the comparison checks see it, read from the case. Text and occurrence paths are read
 * when a check asks: only thread checks read text, only Sent-folder tests read paths.
 */
export class CaseEmail implements EmailFacts {
  readonly raw = NO_BYTES; // the checks read parsed headers, never the bytes
  readonly headers: { name: string; value: string }[];
  readonly from: EmailFacts['from'];
  readonly date: string | undefined;
  readonly messageId: string | undefined;
  readonly inReplyTo: string | undefined;
  readonly references: string[];
  readonly signed: SignedFact[];
  readonly verified: boolean;
  private cachedText: string | undefined | null = null; // null: not read yet
  private cachedPaths: string[] | undefined;

  constructor(
    private readonly kase: Case,
    readonly itemId: number,
    s: StoredEmailFacts,
  ) {
    this.headers = s.headers.map(([name, value]) => ({ name, value: value ?? '' }));
    this.from = s.from;
    this.date = s.date;
    this.messageId = s.messageId;
    this.inReplyTo = s.inReplyTo;
    this.references = s.references;
    this.signed = s.signed;
    this.verified = s.verified;
  }

  get text(): string | undefined {
    if (this.cachedText === null) this.cachedText = this.kase.textOf(this.itemId)?.text?.slice(0, MAX_THREAD_TEXT) ?? undefined;
    return this.cachedText;
  }

  get occurrencePaths(): string[] {
    return (this.cachedPaths ??= this.kase.occurrencesOf(this.itemId).map((o) => o.path));
  }
}

/** What links a stored email to its thread (threadGroups), read without its text. */
export function threadLinksOf(itemId: number, s: StoredEmailFacts): ThreadLinks {
  const subject = s.headers.find((h) => h[0].toLowerCase() === 'subject')?.[1];
  return { itemId, messageId: s.messageId, inReplyTo: s.inReplyTo, references: s.references, subject: subjectKey(subject), searches: s.searches };
}
