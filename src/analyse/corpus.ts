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
 * and only their names kept, for header-order fingerprints: a mailbox of 50,000 messages then fits in
 * a few tens of megabytes. Add a name here when a check starts reading it.
 */
const KEPT_HEADERS = new Set(['subject', 'content-type', 'x-mailer', 'user-agent', 'precedence']);
// From, Date, Message-ID, In-Reply-To and References reach the checks parsed (facts.from, .date,
// .messageId, .references); To/Cc, list markers and Received (server-routed or not) are read by
// name only. Checks marked perEmail (Received order, Authentication-Results) run before trimming.
const keepsValue = (name: string): boolean => KEPT_HEADERS.has(name.toLowerCase());

/** Values this long are nearly always unique (Received, boundaries): not worth a lookup. */
const MAX_SHARED_VALUE = 120;

/**
 * One object per distinct (name, short value) header across the case: header names, dropped values
 * ('') and common values (MIME-Version 1.0, a client's X-Mailer) repeat in every message, and 50,000
 * messages × 20 headers of separate objects cost tens of megabytes. The checks never mutate them.
 */
function headerInterner(): (h: { name: string; value: string }) => { name: string; value: string } {
  const shared = new Map<string, { name: string; value: string }>();
  return (h) => {
    if (h.value.length > MAX_SHARED_VALUE) return h;
    const key = `${h.name}\n${h.value}`;
    const found = shared.get(key);
    if (found) return found;
    shared.set(key, h);
    return h;
  };
}

/** Quote comparison looks at the start of a message; longer bodies are cut to keep memory bounded. */
const MAX_THREAD_TEXT = 200_000;

const bareId = (v: Json | undefined): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim().replace(/^<|>$/g, '').toLowerCase() : undefined;

/**
 * The email's text, read from the case (where analysis stored it) each time a thread check asks,
 * instead of held for every threaded email of a mailbox at once. A text the case does not hold
 * (a case analysed by an older version) stays in memory, capped.
 */
function textFromCase(kase: Case, facts: EmailFacts): void {
  const id = facts.itemId;
  if (!kase.textPresence(id).text) {
    if (facts.text !== undefined && facts.text.length > MAX_THREAD_TEXT) facts.text = facts.text.slice(0, MAX_THREAD_TEXT);
    return;
  }
  delete facts.text;
  Object.defineProperty(facts, 'text', { enumerable: true, configurable: true, get: () => kase.textOf(id)?.text?.slice(0, MAX_THREAD_TEXT) ?? undefined });
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
  const emails: EmailFacts[] = [];
  const settings = caseSettings(kase);
  const perEmailChecks = emailChecks.filter((c) => c.perEmail);
  const byCheck = new Map<string, Map<number, Finding[]>>(emailChecks.map((c) => [c.meta.id, new Map()]));
  const add = (check: CorpusCheck, id: number, findings: Finding[]): void => {
    const m = byCheck.get(check.meta.id)!;
    m.set(id, [...(m.get(id) ?? []), ...findings]);
  };
  const heap = new HeapGovernor();
  const intern = headerInterner();
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
    // The checks read parsed headers, never the raw bytes, and only thread checks read the text:
    // holding every body of a large mailbox would break the flat-memory promise of ingest.
    facts.raw = Buffer.alloc(0);
    facts.headers = facts.headers.map((h) => intern(keepsValue(h.name) ? h : { name: h.name, value: '' }));
    // A reply without In-Reply-To/References (as fabricated ones often are) keeps its text when it quotes someone.
    const quoting = !threaded.has(item.id) && facts.text !== undefined && extractQuote(facts.text)?.attribution !== undefined;
    if (threaded.has(item.id) || quoting) textFromCase(kase, facts);
    else delete facts.text;
    emails.push(facts);
    heap.tick();
  }
  // The originals those replies quote, found by author and subject, get their text too.
  const byItem = new Map(emails.map((e) => [e.itemId, e]));
  for (const id of quotedOriginals(emails)) {
    const e = byItem.get(id);
    if (!e || Object.getOwnPropertyDescriptor(e, 'text')?.get) continue;
    if (kase.textPresence(id).text) {
      textFromCase(kase, e);
      continue;
    }
    // Not in the case (analysed by an older version): parse the message once more.
    const item = kase.item(id);
    if (item) e.text = (await emailFactsFromRaw(id, await kase.blobs.read(item.sha256), {})).text?.slice(0, MAX_THREAD_TEXT);
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


