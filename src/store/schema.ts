/** Schema of a case database. Bumped with migrations when it changes; version lives in PRAGMA user_version. */
export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS items (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  kind TEXT NOT NULL,
  -- 'new' until analysed; analysis is redone when the key set changes
  analysed_with TEXT,
  metadata TEXT NOT NULL DEFAULT '{}',
  verdict TEXT NOT NULL DEFAULT 'consistent',
  verdict_reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS occurrences (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items(id),
  path TEXT NOT NULL UNIQUE,
  parent_id INTEGER REFERENCES items(id),
  -- 1 once everything inside this occurrence (members, attachments) has been ingested
  expanded INTEGER NOT NULL DEFAULT 0,
  -- for top-level files: size when read, so an unchanged input is skipped on re-ingest
  source_size INTEGER
);
CREATE INDEX IF NOT EXISTS occurrences_item ON occurrences(item_id);
CREATE INDEX IF NOT EXISTS occurrences_parent ON occurrences(parent_id);
CREATE TABLE IF NOT EXISTS findings (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items(id),
  -- 'ingest' (reading the dump), 'analysis' (checks on one item), 'corpus' (checks comparing items),
  -- 'verdict' (case-wide: inherited proof)
  stage TEXT NOT NULL,
  check_id TEXT NOT NULL,
  severity TEXT NOT NULL,
  message TEXT NOT NULL,
  evidence TEXT NOT NULL,
  proof TEXT,
  UNIQUE (item_id, stage, check_id, message)
);
CREATE INDEX IF NOT EXISTS findings_item ON findings(item_id);
CREATE TABLE IF NOT EXISTS keys (
  id INTEGER PRIMARY KEY,
  domain TEXT NOT NULL,
  selector TEXT NOT NULL,
  value TEXT NOT NULL,
  source TEXT NOT NULL,
  first_seen_at TEXT,
  last_seen_at TEXT,
  UNIQUE (domain, selector, value, source)
);
-- Extracted text and spreadsheet cells, kept apart from metadata so reports stay small.
CREATE TABLE IF NOT EXISTS texts (
  item_id INTEGER PRIMARY KEY REFERENCES items(id),
  text TEXT,
  language TEXT,
  cells TEXT
);
-- Near-copy sketch (basis, shingle size, MinHash signature) of each text or cell set, computed when it
-- is extracted so comparing a whole case reads no text. Empty: too short to compare. Cases made
-- before this table fall back to computing sketches from their texts.
CREATE TABLE IF NOT EXISTS sketches (
  item_id INTEGER PRIMARY KEY REFERENCES items(id),
  sketch BLOB NOT NULL
);
-- What the checks comparing emails with each other read of each email (src/analyse/email-facts.ts),
-- stored when it is verified so the comparison stage neither parses it again nor holds every email.
CREATE TABLE IF NOT EXISTS email_facts (
  item_id INTEGER PRIMARY KEY REFERENCES items(id),
  facts TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;
