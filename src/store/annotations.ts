import type Database from 'better-sqlite3';

/**
 * The investigator's own words about items: tags and one note per item. Kept apart from findings
 * (which only checks write) so re-analysis never touches them.
 */
export const ANNOTATIONS_SCHEMA = `
CREATE TABLE IF NOT EXISTS annotation_tags (
  item_id INTEGER NOT NULL REFERENCES items(id),
  tag TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (item_id, tag)
);
CREATE INDEX IF NOT EXISTS annotation_tags_tag ON annotation_tags(tag);
CREATE TABLE IF NOT EXISTS annotation_notes (
  item_id INTEGER PRIMARY KEY REFERENCES items(id),
  note TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;

export const MAX_TAG_LENGTH = 64;
export const MAX_NOTE_LENGTH = 100_000;

/** A tag as stored: trimmed, lower-case, inner whitespace collapsed; null when empty or too long. */
export function normaliseTag(tag: string): string | null {
  const t = tag.trim().replace(/\s+/g, ' ').toLowerCase();
  return t.length > 0 && t.length <= MAX_TAG_LENGTH ? t : null;
}

export class Annotations {
  constructor(private readonly db: Database.Database) {
    db.exec(ANNOTATIONS_SCHEMA);
  }

  tagsOf(itemId: number): string[] {
    return this.db.prepare('SELECT tag FROM annotation_tags WHERE item_id = ? ORDER BY tag').pluck().all(itemId) as string[];
  }

  addTag(itemId: number, tag: string, now = new Date()): void {
    this.db
      .prepare('INSERT OR IGNORE INTO annotation_tags (item_id, tag, created_at) VALUES (?, ?, ?)')
      .run(itemId, tag, now.toISOString());
  }

  removeTag(itemId: number, tag: string): boolean {
    return this.db.prepare('DELETE FROM annotation_tags WHERE item_id = ? AND tag = ?').run(itemId, tag).changes === 1;
  }

  noteOf(itemId: number): string {
    const r = this.db.prepare('SELECT note FROM annotation_notes WHERE item_id = ?').get(itemId) as { note: string } | undefined;
    return r?.note ?? '';
  }

  /** Sets the note; an empty note removes it. */
  setNote(itemId: number, note: string, now = new Date()): void {
    if (note.trim() === '') {
      this.db.prepare('DELETE FROM annotation_notes WHERE item_id = ?').run(itemId);
      return;
    }
    this.db
      .prepare(
        'INSERT INTO annotation_notes (item_id, note, updated_at) VALUES (?, ?, ?) ON CONFLICT(item_id) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at',
      )
      .run(itemId, note, now.toISOString());
  }

  /** Every annotated item (tagged or noted), by id, with its tags and note. */
  all(): { itemId: number; tags: string[]; note: string }[] {
    const rows = this.db
      .prepare(
        `SELECT id, (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM annotation_tags WHERE item_id = id ORDER BY tag)) AS tags,
                (SELECT note FROM annotation_notes WHERE item_id = id) AS note
         FROM (SELECT item_id AS id FROM annotation_tags UNION SELECT item_id FROM annotation_notes) ORDER BY id`,
      )
      .all() as { id: number; tags: string | null; note: string | null }[];
    return rows.map((r) => ({ itemId: r.id, tags: r.tags ? r.tags.split('\u001f') : [], note: r.note ?? '' }));
  }

  allTags(): { tag: string; count: number }[] {
    return this.db
      .prepare('SELECT tag, count(*) AS count FROM annotation_tags GROUP BY tag ORDER BY count DESC, tag')
      .all() as { tag: string; count: number }[];
  }
}
