import type { Finding, Json } from '../model.js';
import type { Case, ItemRow } from '../store/case.js';
import { emailFactsFromRaw, type CorpusCheck, type CorpusSettings, type EmailFacts, type SignedFact } from '../checks/corpus.js';
import { emailChecks } from '../checks/email/index.js';
import { extractQuote } from '../checks/email/quotes.js';
import { quotedOriginals } from '../checks/email/thread-quote.js';
import { HeapGovernor } from '../util/heap.js';

function signedFacts(item: ItemRow): SignedFact[] {
  const rows = Array.isArray(item.metadata['dkim']) ? item.metadata['dkim'] : [];
  const facts: SignedFact[] = [];
  for (const r of rows) {
    if (!r || typeof r !== 'object' || Array.isArray(r) || r['kind'] !== 'DKIM') continue;
    const result = typeof r['result'] === 'string' ? r['result'] : 'none';
    facts.push({ domain: String(r['d'] ?? ''), pass: result === 'pass', aligned: r['aligned'] === true, result });
  }
  return facts;
}

/**
 * Header values the comparison checks read (src/checks/email). Other values are dropped after parsing
 * and only their names kept, for header-order fingerprints (about 480 bytes per email are held in
 * all, see KeptFacts). Add a name here when a check starts reading it.
 */
const KEPT_HEADERS = new Set(['subject', 'content-type', 'x-mailer', 'user-agent', 'precedence']);
// From, Date, Message-ID, In-Reply-To and References reach the checks parsed (facts.from, .date,
// .messageId, .references); To/Cc, list markers and Received (server-routed or not) are read by
// name only. Checks marked perEmail (Received order, Authentication-Results) run before trimming.
const keepsValue = (name: string): boolean => KEPT_HEADERS.has(name.toLowerCase());

/** Values this long are nearly always unique (Received, boundaries): not worth a lookup. */
const MAX_SHARED_VALUE = 120;

/**
 * A copy of `s` that holds nothing else alive. Values cut out of a parsed message are V8 "sliced"
 * strings that keep the whole header text they came from (~250 bytes per email); a JSON round trip
 * is the portable way to get a fresh string.
 */
const detached = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/**
 * The order of an email's headers with the values that repeat across emails; the unique values
 * (Subject, a multipart boundary) sit apart, one slot each in `uniqueAt`.
 */
interface HeaderLayout {
  entries: { name: string; value: string }[];
  uniqueAt: number[];
}

const NO_REFERENCES: string[] = [];
const SEP = '\u0000';

/**
 * Shares one detached copy of each distinct short string, and one object per distinct (name, short
 * value) header, across the case: names, domains, senders and common values (MIME-Version 1.0, a
 * client's X-Mailer) repeat in every message. Long or unique values are detached, not shared.
 * The checks never mutate them.
 */
class Interner {
  private readonly strings = new Map<string, string>();
  private readonly headers = new Map<string, { name: string; value: string }>();
  private readonly layouts = new Map<string, HeaderLayout>();
  private readonly senders = new Map<string, NonNullable<EmailFacts['from']>>();
  private readonly signatures = new Map<string, SignedFact[]>();

  /** One layout per distinct header order and shared values; the email keeps its unique values. */
  layout(headers: { name: string; value: string }[]): { layout: HeaderLayout; values: string[] } {
    const values: string[] = [];
    const uniqueAt: number[] = [];
    const entries = headers.map((h, i) => {
      const shared = this.header(h);
      if (shared !== undefined) return shared;
      uniqueAt.push(i);
      values.push(detached(h.value));
      return this.sharedHeader({ name: h.name, value: '' });
    });
    const key = entries.map((h) => `${h.name}\n${h.value}`).join('\n\n') + `\n\n\n${uniqueAt.join(',')}`;
    let layout = this.layouts.get(key);
    if (!layout) this.layouts.set(detached(key), (layout = { entries, uniqueAt }));
    return { layout, values };
  }

  from(f: NonNullable<EmailFacts['from']>): NonNullable<EmailFacts['from']> {
    const key = `${f.address}\n${f.domain}\n${f.name ?? '\u0000'}`;
    let found = this.senders.get(key);
    if (!found) {
      found = { address: this.str(f.address), domain: this.str(f.domain), ...(f.name !== undefined ? { name: this.str(f.name) } : {}) };
      this.senders.set(detached(key), found);
    }
    return found;
  }

  signed(list: SignedFact[]): SignedFact[] {
    const key = JSON.stringify(list);
    let found = this.signatures.get(key);
    if (!found) this.signatures.set(key, (found = list.map((g) => ({ ...g, domain: this.str(g.domain), result: this.str(g.result) }))));
    return found;
  }

  str(s: string): string;
  str(s: string | undefined): string | undefined;
  str(s: string | undefined): string | undefined {
    if (s === undefined) return undefined;
    if (s.length > MAX_SHARED_VALUE) return detached(s);
    let found = this.strings.get(s);
    if (found === undefined) this.strings.set((found = detached(s)), found);
    return found;
  }

  /** The shared object for a header whose value repeats across emails; undefined for a unique value. */
  header(h: { name: string; value: string }): { name: string; value: string } | undefined {
    // Subjects, multipart Content-Types (their boundary) and long values are nearly always unique:
    // a table of them would cost more than it saves.
    const name = h.name.toLowerCase();
    const unique = h.value.length > MAX_SHARED_VALUE || name === 'subject' || (name === 'content-type' && /boundary\s*=/i.test(h.value));
    return unique ? undefined : this.sharedHeader(h);
  }

  private sharedHeader(h: { name: string; value: string }): { name: string; value: string } {
    const key = `${h.name}\n${h.value}`;
    let found = this.headers.get(key);
    if (!found) this.headers.set(detached(key), (found = { name: this.str(h.name), value: this.str(h.value) }));
    return found;
  }
}

/** Quote comparison looks at the start of a message; longer bodies are cut to keep memory bounded. */
const MAX_THREAD_TEXT = 200_000;

const bareId = (v: Json | undefined): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim().replace(/^<|>$/g, '').toLowerCase() : undefined;

const NO_BYTES = Buffer.alloc(0);

/** Where a kept email's text comes from: nowhere (not compared), the case on demand, or memory. */
type TextSource = 'none' | 'case' | { held: string | undefined };

/**
 * The facts the comparison checks read, held for every email of the case until they have run.
 * A class with a fixed shape: the earlier way (deleting `raw` and `text` from the parsed facts, or
 * redefining `text` as a getter) turned each object into a ~800-byte property dictionary, ~35 MB
 * for the 22,000 emails of the 1 GB mbox benchmark. Values that repeat are shared (Interner); the
 * text of threaded emails and the occurrence paths are read from the case each time a check asks.
 * About 480 bytes per email in all (1 GB mbox benchmark).
 */
class KeptFacts implements EmailFacts {
  readonly raw = NO_BYTES; // the checks read parsed headers, never the bytes
  readonly itemId: number;
  readonly from: EmailFacts['from'];
  readonly messageId: string | undefined;
  readonly inReplyTo: string | undefined;
  readonly references: string[];
  readonly signed: SignedFact[];
  readonly verified: boolean;
  source: TextSource;
  private readonly kase: Case;
  /** Milliseconds: a number costs less than the ISO string the checks read. */
  private readonly time: number | undefined;
  private readonly layout: HeaderLayout;
  /** The values of the layout's unique slots, in order, joined by NUL (one string costs less than an array of them). */
  private readonly uniqueValues: string[] | string | undefined;

  constructor(kase: Case, f: EmailFacts, headers: { name: string; value: string }[], source: TextSource, intern: Interner) {
    this.kase = kase;
    this.itemId = f.itemId;
    const { layout, values } = intern.layout(headers);
    this.layout = layout;
    this.uniqueValues = values.length === 0 ? undefined : values.some((v) => v.includes(SEP)) ? values : values.join(SEP);
    this.from = f.from && intern.from(f.from);
    this.time = f.date === undefined ? undefined : Date.parse(f.date);
    // Unique per email: detached, not shared (a table of them would cost more than it saves).
    this.messageId = f.messageId === undefined ? undefined : detached(f.messageId);
    this.inReplyTo = f.inReplyTo === undefined ? undefined : detached(f.inReplyTo);
    this.references = f.references.length === 0 ? NO_REFERENCES : f.references.map(detached);
    this.signed = intern.signed(f.signed);
    this.verified = f.verified;
    this.source = source;
  }

  get date(): string | undefined {
    return this.time === undefined ? undefined : new Date(this.time).toISOString();
  }

  get headers(): { name: string; value: string }[] {
    const { entries, uniqueAt } = this.layout;
    if (uniqueAt.length === 0) return entries;
    const out = entries.slice();
    const values = typeof this.uniqueValues === 'string' ? this.uniqueValues.split(SEP) : (this.uniqueValues ?? []);
    uniqueAt.forEach((at, i) => (out[at] = { name: entries[at]!.name, value: values[i] ?? '' }));
    return out;
  }

  /** Read from the case when a check asks (folder names of Sent copies): paths are unique per email. */
  get occurrencePaths(): string[] {
    return this.kase.occurrencesOf(this.itemId).map((o) => o.path);
  }

  get text(): string | undefined {
    const s = this.source;
    if (s === 'none') return undefined;
    if (s === 'case') return this.kase.textOf(this.itemId)?.text?.slice(0, MAX_THREAD_TEXT) ?? undefined;
    return s.held;
  }
}

/** The case's copy of the text when it holds one (cases analysed by older versions do not): else the parsed text, capped. */
function textSource(kase: Case, id: number, parsed: string | undefined): TextSource {
  return kase.textPresence(id).text ? 'case' : { held: parsed?.slice(0, MAX_THREAD_TEXT) };
}

/**
 * Emails that answer or are answered by another email of the case: the only ones whose text is
 * compared. Read with SQLite's JSON functions so no item's metadata is held for this.
 */
function threadedItems(kase: Case): Set<number> {
  const rows = kase.db
    .prepare(
      `SELECT id, json_extract(metadata, '$.messageId') AS messageId, json_extract(metadata, '$.inReplyTo') AS inReplyTo,
              json_extract(metadata, '$.references') AS refs
         FROM items WHERE media_type = 'message/rfc822'`,
    )
    .all() as { id: number; messageId: string | null; inReplyTo: string | null; refs: string | null }[];
  const referenced = new Set<string>();
  const out = new Set<number>();
  for (const r of rows) {
    const refs = [r.inReplyTo, ...(r.refs ? (JSON.parse(r.refs) as Json[]) : [])].map((v) => bareId(v ?? undefined)).filter((x): x is string => x !== undefined);
    for (const ref of refs) referenced.add(ref);
    if (refs.length > 0) out.add(r.id);
  }
  for (const r of rows) {
    const id = bareId(r.messageId ?? undefined);
    if (id && referenced.has(id)) out.add(r.id);
  }
  return out;
}

export function caseSettings(kase: Case): CorpusSettings {
  const org = kase.getSetting('org');
  const cutoff = kase.getSetting('cutoff');
  return { orgDomains: org ? (JSON.parse(org) as string[]) : [], ...(cutoff ? { cutoff } : {}) };
}

/**
 * Runs the checks that compare emails with each other (threads, habits, fingerprints) over the
 * whole case and replaces their findings. "Verified" here means the item's own DKIM proof, so a
 * reply's corroboration never leans on the very checks being run.
 */
export async function runCorpusChecks(kase: Case): Promise<number> {
  const ids = (kase.db.prepare("SELECT id FROM items WHERE media_type = 'message/rfc822' ORDER BY id").all() as { id: number }[]).map((r) => r.id);
  const threaded = threadedItems(kase);
  const emails: KeptFacts[] = [];
  const settings = caseSettings(kase);
  const perEmailChecks = emailChecks.filter((c) => c.perEmail);
  const byCheck = new Map<string, Map<number, Finding[]>>(emailChecks.map((c) => [c.meta.id, new Map()]));
  const add = (check: CorpusCheck, id: number, findings: Finding[]): void => {
    const m = byCheck.get(check.meta.id)!;
    m.set(id, [...(m.get(id) ?? []), ...findings]);
  };
  const heap = new HeapGovernor();
  const intern = new Interner();
  // One item at a time: only the facts the checks need are kept, not every item's metadata.
  for (const id of ids) {
    const item = kase.item(id);
    if (!item || item.metadata['rebuiltFrom']) continue;
    const findings = kase.findingsOf(item.id).filter((f) => f.stage === 'analysis');
    const facts = await emailFactsFromRaw(item.id, await kase.blobs.read(item.sha256), {
      signed: signedFacts(item),
      verified: findings.some((f) => f.proof === 'proves') && !findings.some((f) => f.proof === 'disproves'),
      occurrencePaths: kase.occurrencesOf(item.id).map((o) => o.path),
    });
    for (const check of perEmailChecks) for (const [id, f] of check.run([facts], settings)) add(check, id, f);
    // Only thread checks read the text: holding every body of a large mailbox would break the
    // flat-memory promise of ingest. A reply without In-Reply-To/References (as fabricated ones
    // often are) keeps its text when it quotes someone.
    const headers = facts.headers.map((h) => (keepsValue(h.name) ? h : { name: h.name, value: '' }));
    const quoting = !threaded.has(item.id) && facts.text !== undefined && extractQuote(facts.text)?.attribution !== undefined;
    const source = threaded.has(item.id) || quoting ? textSource(kase, item.id, facts.text) : 'none';
    emails.push(new KeptFacts(kase, facts, headers, source, intern));
    heap.tick();
  }
  // The originals those replies quote, found by author and subject, get their text too.
  const byItem = new Map(emails.map((e) => [e.itemId, e]));
  for (const id of quotedOriginals(emails)) {
    const e = byItem.get(id);
    if (!e || e.source !== 'none') continue;
    if (kase.textPresence(id).text) {
      e.source = 'case';
      continue;
    }
    // Not in the case (analysed by an older version): parse the message once more.
    const item = kase.item(id);
    const text = item ? (await emailFactsFromRaw(id, await kase.blobs.read(item.sha256), {})).text : undefined;
    e.source = { held: text?.slice(0, MAX_THREAD_TEXT) };
  }
  for (const check of emailChecks.filter((c) => !c.perEmail)) for (const [id, f] of check.run(emails, settings)) add(check, id, f);
  // Merged in the checks' order, as if each had run over the whole case.
  const results = new Map<number, Finding[]>();
  for (const check of emailChecks) {
    for (const [id, findings] of byCheck.get(check.meta.id)!) {
      results.set(id, [...(results.get(id) ?? []), ...findings]);
    }
  }
  kase.transaction(() => {
    for (const e of emails) kase.replaceFindings(e.itemId, 'corpus', results.get(e.itemId) ?? []);
  });
  return emails.length;
}


