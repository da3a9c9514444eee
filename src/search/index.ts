import type Database from 'better-sqlite3';
import type { Json } from '../model.js';
import type { Case, ItemRow } from '../store/case.js';
import { addressList, addressOf, displayOf, domainOf } from './addresses.js';
import { parseEmailParts } from './email-parts.js';
import { DROP_SEARCH, SEARCH_SCHEMA, SEARCH_SCHEMA_VERSION } from './schema.js';

/** Everything the index holds about one item. */
export interface IndexDoc {
  subject: string;
  /** Sender display form plus address, searched by `from:`. */
  sender: string;
  senderAddress: string | null;
  recipients: string[];
  body: string;
  attachments: string[];
  doctext: string;
  /** ISO date (sending date for emails, creation/modification date for documents), or null. */
  date: string | null;
  signed: boolean;
  threadKey: string | null;
  title: string;
}

const SETTING = 'search:schema';

export function ensureSearchSchema(db: Database.Database): void {
  const row = db.prepare("SELECT value FROM settings WHERE key = ?").get(SETTING) as { value: string } | undefined;
  if (row && row.value !== SEARCH_SCHEMA_VERSION) db.exec(DROP_SEARCH);
  db.exec(SEARCH_SCHEMA);
  // Relevance: subject and sender weigh most, then recipients and attachment names, then text.
  db.prepare("INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 2.0, 1.0, 2.0, 1.0)')").run();
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    SETTING,
    SEARCH_SCHEMA_VERSION,
  );
}

// The snippet markers; removed from indexed text so a dump cannot forge highlighting.
// eslint-disable-next-line no-control-regex -- these two control characters are exactly what must go
const MARKERS = /[\u0002\u0003]/g;
const clean = (s: string): string => s.replace(MARKERS, ' ');

/** The item columns copied into search_meta. */
export interface ItemColumns {
  id: number;
  analysedWith: string | null;
  verdict: string;
  kind: string;
  mediaType: string;
}

export function addToIndex(db: Database.Database, item: ItemColumns, doc: IndexDoc): void {
  const itemId = item.id;
  db.prepare('DELETE FROM search_fts WHERE rowid = ?').run(itemId);
  db.prepare(
    'INSERT INTO search_fts (rowid, subject, sender, recipients, body, attachments, doctext) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(
    itemId,
    clean(doc.subject),
    clean(doc.sender),
    clean(doc.recipients.join(' ')),
    clean(doc.body),
    clean(doc.attachments.join(' ')),
    clean(doc.doctext),
  );
  const date = doc.date && !Number.isNaN(Date.parse(doc.date)) ? new Date(doc.date).toISOString() : null;
  db.prepare(
    `INSERT INTO search_meta (item_id, analysed_with, verdict, kind, media_type, date, month, sender, sender_domain, recipients,
       has_attachment, signed, thread_key, title)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(item_id) DO UPDATE SET analysed_with = excluded.analysed_with, verdict = excluded.verdict, kind = excluded.kind,
       media_type = excluded.media_type, date = excluded.date, month = excluded.month,
       sender = excluded.sender, sender_domain = excluded.sender_domain, recipients = excluded.recipients,
       has_attachment = excluded.has_attachment, signed = excluded.signed, thread_key = excluded.thread_key, title = excluded.title`,
  ).run(
    itemId,
    item.analysedWith,
    item.verdict,
    item.kind,
    item.mediaType,
    date,
    date ? date.slice(0, 7) : null,
    doc.senderAddress,
    domainOf(doc.senderAddress),
    JSON.stringify(doc.recipients),
    doc.attachments.length > 0 ? 1 : 0,
    doc.signed ? 1 : 0,
    doc.threadKey,
    doc.title,
  );
}

const str = (v: Json | undefined): string => (typeof v === 'string' ? v : '');

/** Thread identity: the first message of the reference chain, else the parent, else the message itself. */
function threadKeyOf(meta: { [k: string]: Json }): string | null {
  const refs = Array.isArray(meta['references']) ? meta['references'].filter((r): r is string => typeof r === 'string') : [];
  const key = refs[0] ?? (str(meta['inReplyTo']) || str(meta['messageId']));
  return key ? key.trim().toLowerCase() : null;
}

/** A subject as mail clients thread it: without Re:/Fwd: prefixes, spacing and case. */
export function threadSubject(subject: string): string {
  return subject
    .replace(/^\s*((re|fwd?|tr|aw|wg|sv|vs)\s*(\[\d+\])?\s*:\s*)+/i, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * Mail without threading headers (webmail exports, forwarded copies, most leaks) would leave every
 * message alone in its thread: messages alone under their header key that share a subject are
 * grouped under that subject instead, as mail clients do.
 */
function threadBySubject(kase: Case): void {
  const alone = kase.db
    .prepare(
      `SELECT m.item_id AS id, m.title FROM search_meta m WHERE m.thread_key IS NOT NULL AND m.thread_key NOT LIKE 'subject:%'
       AND (SELECT count(*) FROM search_meta o WHERE o.thread_key = m.thread_key) = 1`,
    )
    .all() as { id: number; title: string | null }[];
  const groups = new Map<string, number[]>();
  for (const r of alone) {
    const s = threadSubject(r.title ?? '');
    if (s) groups.set(s, [...(groups.get(s) ?? []), r.id]);
  }
  const set = kase.db.prepare('UPDATE search_meta SET thread_key = ? WHERE item_id = ?');
  kase.transaction(() => {
    for (const [s, ids] of groups) if (ids.length > 1) for (const id of ids) set.run(`subject:${s}`, id);
  });
}

/** Names of items carried by this one (attachments, archive members), from their occurrence paths. */
function childNames(kase: Case, itemId: number): string[] {
  const rows = kase.db.prepare('SELECT path FROM occurrences WHERE parent_id = ? ORDER BY path').all(itemId) as { path: string }[];
  return rows.map((r) => r.path.split('!').pop()?.split('/').pop() ?? '').filter(Boolean);
}

/** Builds the index document of one item from its metadata and, for emails, its original bytes. */
export async function docFromItem(kase: Case, item: ItemRow): Promise<IndexDoc> {
  const m = item.metadata;
  const children = childNames(kase, item.id);
  if (item.kind === 'email') {
    let body = '';
    let attachments: string[] = [];
    try {
      const parts = await parseEmailParts(await kase.blobs.read(item.sha256));
      body = parts.text;
      attachments = parts.attachments.map((a) => a.filename ?? '').filter(Boolean);
    } catch {
      // Unreadable bytes are still searchable by their metadata; the ingest stage recorded why.
    }
    const from = m['from'];
    const recipients = [...addressList(m['to']), ...addressList(m['cc'])]
      .map((a) => addressOf(a))
      .filter((a): a is string => a !== null);
    return {
      subject: str(m['subject']),
      sender: displayOf(from),
      senderAddress: addressOf(from),
      recipients,
      body,
      attachments: [...new Set([...attachments, ...children])],
      doctext: '',
      date: str(m['date']) || null,
      signed: Array.isArray(m['dkim']) && m['dkim'].length > 0,
      threadKey: threadKeyOf(m),
      title: str(m['subject']),
    };
  }
  const author = str(m['author']) || str(m['creator']);
  return {
    subject: str(m['title']),
    sender: author,
    senderAddress: addressOf(author),
    recipients: [],
    body: '',
    attachments: children,
    doctext: [kase.textOf(item.id)?.text ?? '', str(m['lastModifiedBy']), str(m['company'])].filter(Boolean).join('\n'),
    date: str(m['modified']) || str(m['created']) || str(m['date']) || null,
    signed: false,
    threadKey: null,
    title: str(m['title']) || (kase.occurrencesOf(item.id)[0]?.path.split(/[!/]/).pop() ?? ''),
  };
}

/**
 * Brings the index up to date: items never indexed, or re-analysed since, are (re)indexed.
 * Emails are parsed outside the write transaction, in batches, so a large case does not hold a lock long.
 */
export async function indexCase(
  kase: Case,
  opts: { batch?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ indexed: number }> {
  ensureSearchSchema(kase.db);
  const stale = kase.db
    .prepare(
      `SELECT i.id FROM items i LEFT JOIN search_meta m ON m.item_id = i.id
       WHERE m.item_id IS NULL OR m.analysed_with IS NOT i.analysed_with ORDER BY i.id`,
    )
    .pluck()
    .all() as number[];
  const batch = opts.batch ?? 500;
  for (let i = 0; i < stale.length; i += batch) {
    const docs: { item: ItemRow; doc: IndexDoc }[] = [];
    for (const id of stale.slice(i, i + batch)) {
      const item = kase.item(id);
      if (item) docs.push({ item, doc: await docFromItem(kase, item) });
    }
    kase.transaction(() => {
      for (const { item, doc } of docs) addToIndex(kase.db, item, doc);
    });
    opts.onProgress?.(Math.min(i + batch, stale.length), stale.length);
  }
  if (stale.length > 0) threadBySubject(kase);
  // Verdicts are decided after analysis and may change alone: copy them without re-indexing.
  kase.db
    .prepare(
      `UPDATE search_meta SET verdict = i.verdict FROM items i
       WHERE i.id = search_meta.item_id AND search_meta.verdict IS NOT i.verdict`,
    )
    .run();
  return { indexed: stale.length };
}
