import Database from 'better-sqlite3';
import { mkdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Finding, ItemKind, Json, Severity, Verdict } from '../model.js';
import { BlobStore } from './blobs.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';

export type FindingStage = 'ingest' | 'analysis' | 'corpus' | 'verdict' | 'domains';

export interface ItemRow {
  id: number;
  sha256: string;
  size: number;
  mediaType: string;
  kind: ItemKind;
  analysedWith: string | null;
  metadata: { [key: string]: Json };
  verdict: Verdict;
  verdictReason: string;
}

export interface OccurrenceRow {
  id: number;
  itemId: number;
  path: string;
  parentId: number | null;
  expanded: boolean;
  sourceSize: number | null;
}

export interface StoredKey {
  domain: string;
  selector: string;
  value: string;
  source: string;
  firstSeenAt?: string;
  lastSeenAt?: string;
}

interface RawItem {
  id: number;
  sha256: string;
  size: number;
  media_type: string;
  kind: string;
  analysed_with: string | null;
  metadata: string;
  verdict: string;
  verdict_reason: string;
}

interface RawOccurrence {
  id: number;
  item_id: number;
  path: string;
  parent_id: number | null;
  expanded: number;
  source_size: number | null;
}

interface RawFinding {
  item_id: number;
  stage: string;
  check_id: string;
  severity: string;
  message: string;
  evidence: string;
  proof: string | null;
}

const toItem = (r: RawItem): ItemRow => ({
  id: r.id,
  sha256: r.sha256,
  size: r.size,
  mediaType: r.media_type,
  kind: r.kind as ItemKind,
  analysedWith: r.analysed_with,
  metadata: JSON.parse(r.metadata) as { [key: string]: Json },
  verdict: r.verdict as Verdict,
  verdictReason: r.verdict_reason,
});

const toOccurrence = (r: RawOccurrence): OccurrenceRow => ({
  id: r.id,
  itemId: r.item_id,
  path: r.path,
  parentId: r.parent_id,
  expanded: r.expanded === 1,
  sourceSize: r.source_size,
});

export const toFinding = (r: RawFinding): Finding & { stage: FindingStage; itemId: number } => ({
  itemId: r.item_id,
  stage: r.stage as FindingStage,
  check: r.check_id,
  severity: r.severity as Severity,
  message: r.message,
  evidence: JSON.parse(r.evidence) as { [key: string]: Json },
  ...(r.proof ? { proof: r.proof as 'proves' | 'disproves' } : {}),
});

/**
 * One investigation: a folder holding `case.db` (SQLite) and `objects/` (the original bytes,
 * content-addressed). Every write is idempotent so an interrupted ingest can simply run again.
 */
export class Case {
  readonly db: Database.Database;
  readonly blobs: BlobStore;

  private constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.db = new Database(join(dir, 'case.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // better-sqlite3 defaults to a 16 MB page cache; 8 MB keeps ingest speed and a case-wide scan's memory lower.
    this.db.pragma('cache_size = -8000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version === 0) this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    else if (version > SCHEMA_VERSION) {
      throw new Error(
        `The case in ${dir} was written by a newer tamis (schema ${version}, this one knows ${SCHEMA_VERSION}). Upgrade tamis to open it.`,
      );
    }
    this.blobs = new BlobStore(dir);
  }

  static async open(dir: string): Promise<Case> {
    const c = new Case(resolve(dir));
    await c.blobs.init();
    return c;
  }

  /** Opens a case that must already exist (for report/show/serve). */
  static async openExisting(dir: string): Promise<Case> {
    if (!existsSync(join(dir, 'case.db'))) {
      throw new Error(`No case found in ${resolve(dir)}. Run \`tamis ingest PATH --case ${dir}\` first, or pass --case.`);
    }
    return Case.open(dir);
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** Prepared once per case: ingest runs these statements for every item of the dump. */
  private q(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  close(): void {
    this.db.close();
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Inserts the item if its bytes are new; returns its id either way. */
  upsertItem(sha256: string, size: number, mediaType: string, kind: ItemKind): { id: number; created: boolean } {
    const res = this.db
      .prepare('INSERT OR IGNORE INTO items (sha256, size, media_type, kind) VALUES (?, ?, ?, ?)')
      .run(sha256, size, mediaType, kind);
    if (res.changes === 1) return { id: Number(res.lastInsertRowid), created: true };
    const row = this.q('SELECT id FROM items WHERE sha256 = ?').get(sha256) as { id: number };
    return { id: row.id, created: false };
  }

  /** Records where an item occurs; returns false when that path was already known. */
  addOccurrence(itemId: number, path: string, parentId: number | null, sourceSize: number | null = null): boolean {
    const res = this.db
      .prepare('INSERT OR IGNORE INTO occurrences (item_id, path, parent_id, source_size) VALUES (?, ?, ?, ?)')
      .run(itemId, path, parentId, sourceSize);
    return res.changes === 1;
  }

  /**
   * The name an input root gets as the first segment of its occurrence paths: its own base name,
   * made unique per case so two inputs called `inbox` from different places never share paths.
   */
  rootNameFor(absPath: string, wanted: string): string {
    for (let n = 1; ; n++) {
      const name = n === 1 ? wanted : `${wanted}-${n}`;
      const owner = this.getSetting(`root:${name}`);
      if (owner === absPath) return name;
      if (owner === undefined) {
        this.setSetting(`root:${name}`, absPath);
        return name;
      }
    }
  }

  occurrenceAt(path: string): OccurrenceRow | undefined {
    const r = this.q('SELECT * FROM occurrences WHERE path = ?').get(path) as RawOccurrence | undefined;
    return r && toOccurrence(r);
  }

  markExpanded(path: string): void {
    this.q('UPDATE occurrences SET expanded = 1 WHERE path = ?').run(path);
  }

  item(id: number): ItemRow | undefined {
    const r = this.q('SELECT * FROM items WHERE id = ?').get(id) as RawItem | undefined;
    return r && toItem(r);
  }

  /** Finds an item by numeric id or by a SHA-256 prefix (at least 6 hex digits, must be unambiguous). */
  findItem(ref: string): ItemRow | undefined {
    if (/^\d+$/.test(ref)) {
      const byId = this.item(Number(ref));
      if (byId) return byId;
    }
    const prefix = ref.toLowerCase();
    if (!/^[0-9a-f]{6,64}$/.test(prefix)) return undefined;
    const rows = this.db
      .prepare("SELECT * FROM items WHERE sha256 >= ? AND sha256 < ? || 'g' ORDER BY id LIMIT 2")
      .all(prefix, prefix) as RawItem[];
    if (rows.length > 1) throw new Error(`The SHA-256 prefix ${ref} matches several items; give more digits.`);
    return rows[0] && toItem(rows[0]);
  }

  items(): ItemRow[] {
    return (this.q('SELECT * FROM items ORDER BY id').all() as RawItem[]).map(toItem);
  }

  /** Each item's verdict and kind, and nothing else: enough for the summary table of a large case. */
  verdictsAndKinds(): { verdict: Verdict; kind: ItemKind }[] {
    return this.q('SELECT verdict, kind FROM items ORDER BY id').all() as { verdict: Verdict; kind: ItemKind }[];
  }

  /** Every item id, in order (numbers only: cheap to hold for any case). */
  itemIds(): number[] {
    return this.q('SELECT id FROM items ORDER BY id').pluck().all() as number[];
  }

  sha256Of(itemId: number): string | undefined {
    return this.q('SELECT sha256 FROM items WHERE id = ?').pluck().get(itemId) as string | undefined;
  }

  /**
   * The occurrences that have a carrying item, grouped by item, one item at a time. No other
   * statement may run on the case while the iteration is open (SQLite reads it lazily).
   */
  *carriedOccurrences(): IterableIterator<{ itemId: number; occurrences: { path: string; parent: number }[] }> {
    let itemId = -1;
    let occurrences: { path: string; parent: number }[] = [];
    const rows = this.q('SELECT item_id, parent_id, path FROM occurrences WHERE parent_id IS NOT NULL ORDER BY item_id, id').iterate() as IterableIterator<{ item_id: number; parent_id: number; path: string }>;
    for (const r of rows) {
      if (r.item_id !== itemId) {
        if (occurrences.length > 0) yield { itemId, occurrences };
        itemId = r.item_id;
        occurrences = [];
      }
      occurrences.push({ path: r.path, parent: r.parent_id });
    }
    if (occurrences.length > 0) yield { itemId, occurrences };
  }

  itemSummaries(): { id: number; sha256: string }[] {
    return this.q('SELECT id, sha256 FROM items ORDER BY id').all() as { id: number; sha256: string }[];
  }

  *iterateItems(): IterableIterator<ItemRow> {
    for (const r of this.q('SELECT * FROM items ORDER BY id').iterate() as IterableIterator<RawItem>) {
      yield toItem(r);
    }
  }

  occurrencesOf(itemId: number): OccurrenceRow[] {
    return (
      this.q('SELECT * FROM occurrences WHERE item_id = ? ORDER BY path').all(itemId) as RawOccurrence[]
    ).map(toOccurrence);
  }

  allOccurrences(): OccurrenceRow[] {
    return (this.q('SELECT * FROM occurrences ORDER BY id').all() as RawOccurrence[]).map(toOccurrence);
  }

  /** Ids only: a large case's rows are read one at a time while they are analysed. */
  itemsNeedingAnalysis(analysisKey: string): number[] {
    return this.db
      .prepare('SELECT id FROM items WHERE analysed_with IS NULL OR analysed_with != ? ORDER BY id')
      .pluck()
      .all(analysisKey) as number[];
  }

  /** How many items of each kind itemsNeedingAnalysis would return: the totals of the progress bars. */
  kindsNeedingAnalysis(analysisKey: string): { emails: number; documents: number; other: number } {
    const r = this.db
      .prepare(
        `SELECT sum(media_type = 'message/rfc822') AS emails, sum(media_type != 'message/rfc822' AND kind IN ('document', 'image')) AS documents,
                count(*) AS total FROM items WHERE analysed_with IS NULL OR analysed_with != ?`,
      )
      .get(analysisKey) as { emails: number | null; documents: number | null; total: number };
    const emails = r.emails ?? 0;
    const documents = r.documents ?? 0;
    return { emails, documents, other: r.total - emails - documents };
  }

  /** Replaces all findings of one stage for an item (analysis and verdict stages are recomputed whole). */
  replaceFindings(itemId: number, stage: FindingStage, findings: Finding[]): void {
    this.q('DELETE FROM findings WHERE item_id = ? AND stage = ?').run(itemId, stage);
    for (const f of findings) this.addFinding(itemId, stage, f);
  }

  /** The items carried directly by an item (attachments, forwarded messages, archive members). */
  childrenOf(itemId: number): number[] {
    return this.q('SELECT DISTINCT item_id FROM occurrences WHERE parent_id = ? ORDER BY item_id').pluck().all(itemId) as number[];
  }

  /** The items that carry an item directly. */
  parentsOf(itemId: number): number[] {
    return this.q('SELECT DISTINCT parent_id FROM occurrences WHERE item_id = ? AND parent_id IS NOT NULL ORDER BY parent_id').pluck().all(itemId) as number[];
  }

  /** Replaces every finding of one stage in the case at once (a case-wide stage such as 'domains', redone whole). */
  replaceStageFindings(stage: FindingStage, byItem: ReadonlyMap<number, Finding[]>): void {
    this.transaction(() => {
      this.q('DELETE FROM findings WHERE stage = ?').run(stage);
      for (const [itemId, findings] of byItem) for (const f of findings) this.addFinding(itemId, stage, f);
    });
  }

  /** Removes one stage's findings from every item of a media type (a case-wide stage about to be redone). */
  clearFindings(stage: FindingStage, mediaType: string): void {
    this.q('DELETE FROM findings WHERE stage = ? AND item_id IN (SELECT id FROM items WHERE media_type = ?)').run(stage, mediaType);
  }

  addFinding(itemId: number, stage: FindingStage, f: Finding): void {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO findings (item_id, stage, check_id, severity, message, evidence, proof) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(itemId, stage, f.check, f.severity, f.message, JSON.stringify(f.evidence), f.proof ?? null);
  }

  findingsOf(itemId: number): (Finding & { stage: FindingStage; itemId: number })[] {
    return (
      this.q('SELECT * FROM findings WHERE item_id = ? ORDER BY id').all(itemId) as RawFinding[]
    ).map(toFinding);
  }

  allFindings(): (Finding & { stage: FindingStage; itemId: number })[] {
    return (this.q('SELECT * FROM findings ORDER BY item_id, id').all() as RawFinding[]).map(toFinding);
  }

  setAnalysis(itemId: number, analysisKey: string, metadata: { [key: string]: Json }): void {
    this.db
      .prepare('UPDATE items SET analysed_with = ?, metadata = ? WHERE id = ?')
      .run(analysisKey, JSON.stringify(metadata), itemId);
  }

  setText(itemId: number, text: string | undefined, language: string | undefined, cells: unknown[] | undefined): void {
    this.db
      .prepare('INSERT INTO texts (item_id, text, language, cells) VALUES (?, ?, ?, ?) ON CONFLICT(item_id) DO UPDATE SET text = excluded.text, language = excluded.language, cells = excluded.cells')
      .run(itemId, text ?? null, language ?? null, cells ? JSON.stringify(cells) : null);
  }

  /** Stores (or, undefined, removes) the comparison facts of an email, as JSON. */
  setEmailFacts(itemId: number, facts: string | undefined): void {
    if (facts === undefined) this.q('DELETE FROM email_facts WHERE item_id = ?').run(itemId);
    else this.q('INSERT INTO email_facts (item_id, facts) VALUES (?, ?) ON CONFLICT(item_id) DO UPDATE SET facts = excluded.facts').run(itemId, facts);
  }

  emailFactsOf(itemId: number): string | undefined {
    return this.q('SELECT facts FROM email_facts WHERE item_id = ?').pluck().get(itemId) as string | undefined;
  }

  /**
   * Every email's comparison facts in item order, read a page at a time: a case-wide pass holds one
   * page, and other statements may run between rows.
   */
  *emailFacts(pageSize = 2000): Generator<{ itemId: number; facts: string }> {
    let after = -1;
    for (;;) {
      const page = this.q('SELECT item_id AS itemId, facts FROM email_facts WHERE item_id > ? ORDER BY item_id LIMIT ?').all(after, pageSize) as {
        itemId: number;
        facts: string;
      }[];
      yield* page;
      if (page.length < pageSize) return;
      after = page[page.length - 1]!.itemId;
    }
  }

  setSketch(itemId: number, sketch: Buffer): void {
    this.q('INSERT INTO sketches (item_id, sketch) VALUES (?, ?) ON CONFLICT(item_id) DO UPDATE SET sketch = excluded.sketch').run(itemId, sketch);
  }

  /** The stored near-copy sketch (empty: nothing to compare), or undefined when none was stored. */
  sketchOf(itemId: number): Buffer | undefined {
    return this.q('SELECT sketch FROM sketches WHERE item_id = ?').pluck().get(itemId) as Buffer | undefined;
  }

  textOf(itemId: number): { text: string | null; language: string | null; cells: unknown[] | null } | undefined {
    const r = this.q('SELECT text, language, cells FROM texts WHERE item_id = ?').get(itemId) as
      | { text: string | null; language: string | null; cells: string | null }
      | undefined;
    return r && { text: r.text, language: r.language, cells: r.cells ? (JSON.parse(r.cells) as unknown[]) : null };
  }

  /** Whether an item has stored text or cells, without reading them. */
  textPresence(itemId: number): { text: boolean; cells: boolean } {
    const r = this.q('SELECT text IS NOT NULL AND length(text) > 0 AS t, cells IS NOT NULL AS c FROM texts WHERE item_id = ?').get(itemId) as
      | { t: number; c: number }
      | undefined;
    return { text: r?.t === 1, cells: r?.c === 1 };
  }

  setVerdict(itemId: number, verdict: Verdict, reason: string): void {
    this.q('UPDATE items SET verdict = ?, verdict_reason = ? WHERE id = ?').run(verdict, reason, itemId);
  }

  addKey(k: StoredKey): void {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO keys (domain, selector, value, source, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(k.domain.toLowerCase(), k.selector.toLowerCase(), k.value, k.source, k.firstSeenAt ?? null, k.lastSeenAt ?? null);
  }

  keys(): StoredKey[] {
    const rows = this.q('SELECT * FROM keys ORDER BY domain, selector, id').all() as {
      domain: string;
      selector: string;
      value: string;
      source: string;
      first_seen_at: string | null;
      last_seen_at: string | null;
    }[];
    return rows.map((r) => ({
      domain: r.domain,
      selector: r.selector,
      value: r.value,
      source: r.source,
      ...(r.first_seen_at ? { firstSeenAt: r.first_seen_at } : {}),
      ...(r.last_seen_at ? { lastSeenAt: r.last_seen_at } : {}),
    }));
  }

  getSetting(key: string): string | undefined {
    const r = this.q('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value;
  }

  setSetting(key: string, value: string): void {
    this.q('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The dump roots given to ingest: the name occurrence paths start with, and the local path it stands for. */
  rootPaths(): { name: string; path: string }[] {
    const rows = this.q("SELECT key, value FROM settings WHERE key LIKE 'root:%' ORDER BY key").all() as { key: string; value: string }[];
    return rows.map((r) => ({ name: r.key.slice('root:'.length), path: r.value }));
  }

  deleteSetting(key: string): void {
    this.q('DELETE FROM settings WHERE key = ?').run(key);
  }

  counts(): { items: number; occurrences: number; findings: number } {
    const one = (sql: string) => (this.q(sql).get() as { n: number }).n;
    return {
      items: one('SELECT count(*) n FROM items'),
      occurrences: one('SELECT count(*) n FROM occurrences'),
      findings: one('SELECT count(*) n FROM findings'),
    };
  }
}
