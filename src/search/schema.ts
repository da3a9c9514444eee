/**
 * Search tables live in the case database next to the store's own tables; they are derived data
 * (rebuilt from items at any time), so they carry their own version and are dropped when it changes.
 */
export const SEARCH_SCHEMA_VERSION = '4'; // 4: threads of mail without threading headers, by subject

export const SEARCH_SCHEMA = `
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
  subject, sender, recipients, body, attachments, doctext,
  tokenize = 'unicode61 remove_diacritics 2'
);
-- One row per indexed item (rowid of search_fts = item id): the facets and filters search needs.
CREATE TABLE IF NOT EXISTS search_meta (
  item_id INTEGER PRIMARY KEY,
  analysed_with TEXT,
  -- copies of the item's own columns, so filters and facets read one narrow table (kept in sync by indexCase)
  verdict TEXT NOT NULL DEFAULT 'consistent',
  kind TEXT NOT NULL DEFAULT 'other',
  media_type TEXT NOT NULL DEFAULT '',
  date TEXT,
  month TEXT,
  sender TEXT,
  sender_domain TEXT,
  recipients TEXT NOT NULL DEFAULT '[]',
  has_attachment INTEGER NOT NULL DEFAULT 0,
  signed INTEGER NOT NULL DEFAULT 0,
  thread_key TEXT,
  title TEXT
);
CREATE INDEX IF NOT EXISTS search_meta_date ON search_meta(date);
CREATE INDEX IF NOT EXISTS search_meta_domain ON search_meta(sender_domain, month);
CREATE INDEX IF NOT EXISTS search_meta_thread ON search_meta(thread_key);
CREATE INDEX IF NOT EXISTS search_meta_verdict ON search_meta(verdict, date);
-- covering indexes for the overview (coverage table, timeline); the first also serves kind: filters
CREATE INDEX IF NOT EXISTS search_meta_coverage ON search_meta(kind, sender_domain, month, verdict, signed);
CREATE INDEX IF NOT EXISTS search_meta_timeline ON search_meta(month, verdict);
CREATE INDEX IF NOT EXISTS search_meta_sender ON search_meta(sender);
-- check: filters look findings up by check id (an index on the store's table; derived, safe to drop)
CREATE INDEX IF NOT EXISTS search_findings_check ON findings(check_id, item_id);
`;

export const DROP_SEARCH = `
DROP TABLE IF EXISTS search_fts;
DROP TABLE IF EXISTS search_meta;
DROP INDEX IF EXISTS search_findings_check;
`;
