import { ITEM_KINDS, VERDICTS } from '../model.js';

/** A query the user must fix; its message says what is wrong and how to write it instead. */
export class QueryError extends Error {
  readonly status = 400;
}

/** One SQL condition with its bound parameters; user text only ever travels in `params`. */
export interface SqlCondition {
  sql: string;
  params: (string | number)[];
}

export interface ParsedQuery {
  /** FTS5 MATCH expression of the positive terms, or null when the query has none. */
  match: string | null;
  /** FTS5 MATCH expression of the excluded terms (`-word`), or null. */
  exclude: string | null;
  /** Conditions on `search_meta m`, all to be ANDed. */
  where: SqlCondition[];
  /** Plain words and phrases, for the UI to echo what was understood. */
  terms: string[];
}

interface Token {
  negated: boolean;
  field: string | null;
  value: string;
  phrase: boolean;
  prefix: boolean;
  /** The bare word OR between two terms. */
  or: boolean;
}

/** Fields searched through the full-text index, mapped to their FTS column. */
const TEXT_FIELDS: Record<string, string> = {
  from: 'sender',
  to: 'recipients',
  subject: 'subject',
  body: 'body',
  attachment: 'attachments',
};
const FILTER_FIELDS = new Set(['domain', 'verdict', 'kind', 'type', 'check', 'has', 'date', 'tag']);
const HAS_VALUES = ['attachment', 'signature', 'tag', 'note'] as const;

/** Splits the query into terms: words, "phrases", -negations, field:values, prefix*, OR. */
export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const s = input;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i] ?? '')) i++;
    if (i >= s.length) break;
    let negated = false;
    if (s[i] === '-' && i + 1 < s.length && !/\s/.test(s[i + 1] ?? '')) {
      negated = true;
      i++;
    }
    let field: string | null = null;
    const fm = /^([A-Za-z]+):(?=\S)/.exec(s.slice(i));
    if (fm?.[1] && (fm[1].toLowerCase() in TEXT_FIELDS || FILTER_FIELDS.has(fm[1].toLowerCase()))) {
      field = fm[1].toLowerCase();
      i += fm[0].length;
    }
    let value = '';
    let phrase = false;
    if (s[i] === '"') {
      phrase = true;
      const close = s.indexOf('"', i + 1);
      value = s.slice(i + 1, close < 0 ? s.length : close);
      i = close < 0 ? s.length : close + 1;
    } else {
      const start = i;
      while (i < s.length && !/\s/.test(s[i] ?? '')) i++;
      value = s.slice(start, i);
    }
    let prefix = false;
    if (s[i] === '*' && phrase) {
      prefix = true;
      i++;
    } else if (!phrase && value.length > 1 && value.endsWith('*')) {
      prefix = true;
      value = value.replace(/\*+$/, '');
    }
    const or = !negated && !field && !phrase && (value === 'OR' || value === '|');
    out.push({ negated, field, value, phrase, prefix, or });
  }
  return out;
}

/** An FTS5 string literal: the whole value quoted, inner quotes doubled, so no FTS syntax can leak in. */
function ftsString(t: Token): string | null {
  if (!/[\p{L}\p{N}]/u.test(t.value)) return null;
  const quoted = `"${t.value.replace(/"/g, '""')}"`;
  const lit = t.prefix ? `${quoted} *` : quoted;
  const column = t.field ? TEXT_FIELDS[t.field] : undefined;
  return column ? `${column} : ${lit}` : lit;
}

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Start (inclusive) and end (exclusive) ISO prefixes of one date bound: 2017, 2017-03 or 2017-03-05. */
function period(bound: string, raw: string): { start: string; end: string } {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(bound);
  if (!m?.[1]) {
    throw new QueryError(`The date filter "date:${raw}" is not understood. Write date:2017, date:2017-03, date:2017-03-05 or a range date:2017-03..2017-04.`);
  }
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) : undefined;
  const d = m[3] ? Number(m[3]) : undefined;
  if ((mo !== undefined && (mo < 1 || mo > 12)) || (d !== undefined && (d < 1 || d > 31))) {
    throw new QueryError(`The date filter "date:${raw}" has an impossible month or day.`);
  }
  const iso = (dt: Date, len: number) => dt.toISOString().slice(0, len);
  if (mo === undefined) return { start: `${y}`, end: `${y + 1}` };
  if (d === undefined) return { start: bound, end: iso(new Date(Date.UTC(y, mo, 1)), 7) };
  return { start: bound, end: iso(new Date(Date.UTC(y, mo - 1, d + 1)), 10) };
}

function filterCondition(t: Token): SqlCondition {
  const v = t.value;
  switch (t.field) {
    case 'verdict': {
      const verdict = v.toLowerCase();
      if (!(VERDICTS as readonly string[]).includes(verdict)) {
        throw new QueryError(`Unknown verdict "${v}". Use one of: ${VERDICTS.join(', ')}.`);
      }
      return { sql: 'm.verdict = ?', params: [verdict] };
    }
    case 'kind': {
      const kind = v.toLowerCase();
      if (!(ITEM_KINDS as readonly string[]).includes(kind)) {
        throw new QueryError(`Unknown kind "${v}". Use one of: ${ITEM_KINDS.join(', ')}.`);
      }
      return { sql: 'm.kind = ?', params: [kind] };
    }
    case 'type':
      return { sql: 'm.media_type = ?', params: [v.toLowerCase()] };
    case 'domain': {
      const d = v.toLowerCase().replace(/^@/, '');
      return { sql: "(m.sender_domain = ? OR m.sender_domain LIKE ? ESCAPE '\\')", params: [d, `%.${likeEscape(d)}`] };
    }
    case 'check': {
      // A check id names itself and its family: check:dkim matches dkim.body-hash ('/' sorts right after '.').
      const c = v.replace(/\.?\*$/, '');
      return {
        sql: 'm.item_id IN (SELECT item_id FROM findings WHERE check_id = ? OR (check_id >= ? AND check_id < ?))',
        params: [c, `${c}.`, `${c}/`],
      };
    }
    case 'tag':
      return { sql: 'EXISTS (SELECT 1 FROM annotation_tags t WHERE t.item_id = m.item_id AND t.tag = ?)', params: [v.toLowerCase()] };
    case 'has': {
      const what = v.toLowerCase();
      if (what === 'attachment') return { sql: 'm.has_attachment = 1', params: [] };
      if (what === 'signature') return { sql: 'm.signed = 1', params: [] };
      if (what === 'tag') return { sql: 'EXISTS (SELECT 1 FROM annotation_tags t WHERE t.item_id = m.item_id)', params: [] };
      if (what === 'note') return { sql: 'EXISTS (SELECT 1 FROM annotation_notes n WHERE n.item_id = m.item_id)', params: [] };
      throw new QueryError(`Unknown "has:${v}". Use one of: ${HAS_VALUES.map((h) => `has:${h}`).join(', ')}.`);
    }
    case 'date': {
      const [a, b, ...rest] = v.split('..');
      if (rest.length > 0 || a === undefined) throw new QueryError(`The date filter "date:${v}" has more than one "..".`);
      if (b === undefined) {
        const p = period(a, v);
        return { sql: 'm.date >= ? AND m.date < ?', params: [p.start, p.end] };
      }
      const parts: SqlCondition = { sql: '', params: [] };
      const sql: string[] = [];
      if (a) {
        sql.push('m.date >= ?');
        parts.params.push(period(a, v).start);
      }
      if (b) {
        sql.push('m.date < ?');
        parts.params.push(period(b, v).end);
      }
      if (sql.length === 0) throw new QueryError('The date filter "date:.." needs at least one bound, e.g. date:2017-03..');
      return { sql: sql.join(' AND '), params: parts.params };
    }
    default:
      throw new QueryError(`Unknown filter "${t.field ?? ''}:".`);
  }
}

/**
 * Translates a user query into an FTS5 MATCH expression and SQL conditions.
 * Words are ANDed; OR joins the terms either side of it (binding tighter than AND, as in web search);
 * -term excludes; repeated verdict:/kind: values are alternatives (an item has only one of each).
 */
export function parseQuery(input: string): ParsedQuery {
  const tokens = tokenize(input);
  const groups: string[][] = [];
  const negatives: string[] = [];
  const where: SqlCondition[] = [];
  const alternatives = new Map<string, SqlCondition[]>();
  const terms: string[] = [];
  let joinNext = false;
  for (const t of tokens) {
    if (t.or) {
      if (groups.length === 0) throw new QueryError('A query cannot start with OR: write it between two words, e.g. "macron OR ferrand".');
      joinNext = true;
      continue;
    }
    if (t.field && FILTER_FIELDS.has(t.field)) {
      if (joinNext) throw new QueryError(`OR joins words and phrases, not filters like "${t.field}:".`);
      const cond = filterCondition(t);
      if (t.negated) where.push({ sql: `NOT (${cond.sql})`, params: cond.params });
      else if (t.field === 'verdict' || t.field === 'kind') alternatives.set(t.field, [...(alternatives.get(t.field) ?? []), cond]);
      else where.push(cond);
      continue;
    }
    const lit = ftsString(t);
    if (!lit) continue;
    if (t.negated) {
      if (joinNext) throw new QueryError('OR cannot be followed by an excluded term (-word).');
      negatives.push(lit);
      continue;
    }
    terms.push(t.value);
    const last = groups[groups.length - 1];
    if (joinNext && last) last.push(lit);
    else groups.push([lit]);
    joinNext = false;
  }
  if (joinNext) throw new QueryError('A query cannot end with OR: write it between two words.');
  for (const conds of alternatives.values()) {
    where.push({ sql: `(${conds.map((c) => c.sql).join(' OR ')})`, params: conds.flatMap((c) => c.params) });
  }
  const match = groups.length > 0 ? groups.map((g) => (g.length > 1 ? `(${g.join(' OR ')})` : g[0])).join(' AND ') : null;
  return { match, exclude: negatives.length > 0 ? negatives.join(' OR ') : null, where, terms };
}
