import type Database from 'better-sqlite3';
import { escapeHtml } from '../report/escape.js';
import { ANNOTATIONS_SCHEMA } from '../store/annotations.js';
import { parseQuery, QueryError, type SqlCondition } from './query.js';

export type SearchSort = 'relevance' | 'date';

export interface SearchHit {
  id: number;
  kind: string;
  verdict: string;
  mediaType: string;
  title: string;
  sender: string | null;
  date: string | null;
  /** HTML: the dump's text escaped, with only our own <mark> elements around matches. */
  snippet: string | null;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface SearchResult {
  query: string;
  total: number;
  page: number;
  pageSize: number;
  hits: SearchHit[];
  facets: Record<FacetName, FacetValue[]>;
  /** How many hits the facet counts cover: `total`, or FACET_CAP when the result set was larger. */
  facetsFrom: number;
  /** The order actually used: relevance falls back to date past RANK_LIMIT hits. */
  sortedBy: SearchSort;
}

/** Facets read from search_meta, in the column order of the sample query below. */
export const FACETS = ['verdict', 'kind', 'domain', 'sender', 'month', 'mediaType'] as const;
export type FacetName = (typeof FACETS)[number] | 'check';

const START = '\u0002';
const END = '\u0003';

/** Escapes the snippet text, then turns only our private markers into <mark>. */
export function snippetHtml(raw: string): string {
  return escapeHtml(raw).split(START).join('<mark>').split(END).join('</mark>');
}

interface Plan {
  match: string | null;
  /** SQL conditions on `search_meta m` (filters, exclusions) and their parameters. */
  conds: string[];
  params: (string | number)[];
}

function plan(q: string): Plan {
  const parsed = parseQuery(q);
  const conds: SqlCondition[] = [...parsed.where];
  if (parsed.exclude) conds.push({ sql: 'm.item_id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)', params: [parsed.exclude] });
  return { match: parsed.match, conds: conds.map((c) => c.sql), params: conds.flatMap((c) => c.params) };
}

/**
 * FROM/WHERE over the hits. With words, FTS5 drives (CROSS JOIN keeps it the outer loop: probed per row,
 * FTS5 would re-run the whole full-text query each time). `viaDate` puts search_meta outside instead,
 * so "newest first" can walk the date index and stop after one page.
 */
function hitSource(p: Plan, viaDate = false): { sql: string; params: (string | number)[] } {
  if (p.match && !viaDate) {
    const where = ['search_fts MATCH ?', ...p.conds].join(' AND ');
    return {
      sql: `search_fts CROSS JOIN search_meta m ON m.item_id = search_fts.rowid WHERE ${where}`,
      params: [p.match, ...p.params],
    };
  }
  const conds = p.match ? ['m.item_id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)', ...p.conds] : p.conds;
  return {
    sql: `search_meta m ${conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : ''}`,
    params: p.match ? [p.match, ...p.params] : p.params,
  };
}

/** Runs one statement, turning an FTS5 complaint about the query into a message the user can act on. */
function run<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/fts5|MATCH|syntax/i.test(msg)) throw new QueryError(`The search engine could not read this query (${msg}). Put unusual characters inside "quotes".`);
    throw err;
  }
}

/** Facets count at most this many hits (the first ones by id); `facetsFrom` tells the UI when it sampled. */
export const FACET_CAP = 2000;
/** Above this many hits, results come newest first instead of by relevance. */
export const RANK_LIMIT = 20_000;

export function searchCase(
  db: Database.Database,
  opts: { q: string; sort?: SearchSort; page?: number; pageSize?: number; facets?: boolean; facetCap?: number; rankLimit?: number },
): SearchResult {
  const facetCap = opts.facetCap ?? FACET_CAP;
  const rankLimit = opts.rankLimit ?? RANK_LIMIT;
  db.exec(ANNOTATIONS_SCHEMA); // tag: and has:tag read these tables
  const p = plan(opts.q);
  const pageSize = Math.min(Math.max(opts.pageSize ?? 20, 1), 200);
  const page = Math.max(opts.page ?? 1, 1);
  const src = hitSource(p);
  const ftsOnly = p.match !== null && p.conds.length === 0;
  const countSql = ftsOnly ? 'SELECT count(*) FROM search_fts WHERE search_fts MATCH ?' : `SELECT count(*) FROM ${src.sql}`;
  const total = run(() => db.prepare(countSql).pluck().get(...src.params) as number);
  // Ranking scores every hit; past RANK_LIMIT hits the query is too broad for relevance to mean much.
  const sortedBy: SearchSort = opts.sort !== 'date' && p.match !== null && total <= rankLimit ? 'relevance' : 'date';
  // Ids first, details after: SQLite's sorter would otherwise compute every column (snippets!) for every hit.
  let pageSql: string;
  let pageParams = src.params;
  if (sortedBy === 'relevance') {
    pageSql = ftsOnly
      ? 'SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?'
      : `SELECT m.item_id FROM ${src.sql} ORDER BY search_fts.rank, m.item_id LIMIT ? OFFSET ?`;
  } else {
    const byDate = hitSource(p, true);
    pageSql = `SELECT m.item_id FROM ${byDate.sql} ORDER BY m.date DESC, m.item_id DESC LIMIT ? OFFSET ?`;
    pageParams = byDate.params;
  }
  const pageIds = run(() => db.prepare(pageSql).pluck().all(...pageParams, pageSize, (page - 1) * pageSize) as number[]);
  const hits = hitsFor(db, pageIds, p.match);
  const facets = Object.fromEntries([...FACETS, 'check'].map((f) => [f, []])) as unknown as Record<FacetName, FacetValue[]>;
  let facetsFrom = total;
  if (opts.facets !== false && total > 0) {
    // One pass over at most FACET_CAP hits, counted here: cheaper than one GROUP BY per facet.
    const rows = run(
      () =>
        db
          .prepare(`SELECT m.item_id, m.verdict, m.kind, m.sender_domain, m.sender, m.month, m.media_type FROM ${src.sql} LIMIT ?`)
          .raw()
            .all(...src.params, facetCap) as (string | number | null)[][],
    );
    facetsFrom = rows.length;
    FACETS.forEach((name, col) => {
      const counts = new Map<string, number>();
      for (const r of rows) {
        const v = r[col + 1];
        if (typeof v === 'string' && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      facets[name] = topValues(counts);
    });
    facets.check = db
      .prepare(
        `SELECT f.check_id AS value, count(DISTINCT f.item_id) AS count FROM json_each(?) h JOIN findings f ON f.item_id = h.value
         GROUP BY f.check_id ORDER BY count DESC, value LIMIT 25`,
      )
      .all(JSON.stringify(rows.map((r) => r[0]))) as FacetValue[];
  }
  return { query: opts.q, total, page, pageSize, sortedBy, hits, facets, facetsFrom };
}

function topValues(counts: Map<string, number>, limit = 25): FacetValue[] {
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, limit);
}

/** The page's rows, in page order, with snippets computed for these few items only. */
function hitsFor(db: Database.Database, ids: number[], match: string | null): SearchHit[] {
  if (ids.length === 0) return [];
  const json = JSON.stringify(ids);
  const rows = db
    .prepare(
      `SELECT i.id, i.kind, i.verdict, i.media_type AS mediaType, m.title, m.sender, m.date
       FROM items i JOIN search_meta m ON m.item_id = i.id WHERE i.id IN (SELECT value FROM json_each(?))`,
    )
    .all(json) as Omit<SearchHit, 'snippet'>[];
  const snippets = new Map<number, string>();
  if (match !== null) {
    for (const r of db
      .prepare(
        `SELECT rowid AS id, snippet(search_fts, -1, '${START}', '${END}', '…', 24) AS s FROM search_fts
         WHERE search_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`,
      )
      .all(match, json) as { id: number; s: string }[]) {
      snippets.set(r.id, snippetHtml(r.s));
    }
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ ...r, title: r.title ?? '', snippet: snippets.get(id) ?? null }] : [];
  });
}
