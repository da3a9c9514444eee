// Key archives as JSON: records {domain, selector, value, firstSeenAt?, lastSeenAt?} (the shape of
// archive.prove.email), as a JSON array, arrays of such arrays (saved API pages), one record, an
// object holding the array (`keys`, `records`, `results`, `data`), JSON Lines, or a DNS-over-HTTPS
// JSON answer ({"Answer":[{"name","type":16,"data"}]}). Sources name the file and line.
import { splitKeyName, KeyLoadError, type DkimKey } from './types.js';

const WRAPPERS = ['keys', 'records', 'results', 'data', 'items'];
const TXT = 16;

export function parseJsonKeys(text: string, path: string): DkimKey[] {
  const body = text.replace(/^\uFEFF/, '');
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    // Not one document: JSON Lines, one record per line.
    if (body.trimStart().startsWith('{') && body.trim().split('\n').length > 1) return jsonLines(body, path);
    throw new KeyLoadError(`${path}:${errorLine(body, e as Error)}`, `not valid JSON (${(e as Error).message})`);
  }
  const lines = topLevelLines(body);
  return fromDocument(doc, path, lines, 0);
}

function jsonLines(text: string, path: string): DkimKey[] {
  const out: DkimKey[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const source = `${path}:${i + 1}`;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (e) {
      throw new KeyLoadError(source, `not valid JSON (${(e as Error).message})`);
    }
    out.push(...fromDocument(rec, path, [i + 1], 0));
  }
  return out;
}

/** `lines[k]`: the line where the k-th element of the top-level array (or the object) starts. */
function fromDocument(doc: unknown, path: string, lines: number[], depth: number): DkimKey[] {
  const at = (i: number): string => `${path}:${lines[i] ?? lines[0] ?? 1}`;
  if (Array.isArray(doc)) {
    return doc.flatMap((rec: unknown, i) => {
      if (Array.isArray(rec) && depth === 0) return fromDocument(rec, path, [lines[i] ?? 1], depth + 1);
      const source = depth === 0 && lines.length === doc.length && new Set(lines).size === lines.length ? at(i) : `${at(depth === 0 ? i : 0)}#${i}`;
      return [toKey(rec, source)];
    });
  }
  if (typeof doc !== 'object' || doc === null) throw new KeyLoadError(at(0), 'expected a key record, or an array of them');
  const o = doc as Record<string, unknown>;
  if (Array.isArray(o['Answer'])) return fromDoh(o['Answer'], at(0));
  for (const w of WRAPPERS) if (Array.isArray(o[w])) return fromDocument(o[w], path, [lines[0] ?? 1], depth + 1);
  return [toKey(doc, at(0))];
}

function toKey(rec: unknown, source: string): DkimKey {
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw new KeyLoadError(source, 'expected an object');
  const r = rec as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
  const domain = str('domain')?.trim().replace(/\.$/, '');
  const selector = str('selector')?.trim();
  // Some archives keep TXT strings as they came from DNS: an array of chunks.
  const raw = r['value'];
  const value = typeof raw === 'string' ? raw : Array.isArray(raw) && raw.every((c) => typeof c === 'string') ? raw.join('') : undefined;
  if (!domain || !selector || value === undefined) {
    throw new KeyLoadError(source, 'a key record needs string fields domain, selector and value');
  }
  if (/\s|\/|_domainkey/i.test(domain) || !domain.includes('.')) throw new KeyLoadError(source, `"domain": ${JSON.stringify(domain)} is not a domain name`);
  if (/\s|\._domainkey/i.test(selector)) throw new KeyLoadError(source, `"selector": ${JSON.stringify(selector)} is not a selector (give only the part before ._domainkey)`);
  const key: DkimKey = { domain, selector, value, source };
  const first = str('firstSeenAt');
  const last = str('lastSeenAt');
  if (first) key.firstSeenAt = first;
  if (last) key.lastSeenAt = last;
  return key;
}

/** DNS-over-HTTPS JSON (RFC 8427-like, as resolvers print it): TXT answers under _domainkey names. */
function fromDoh(answers: unknown[], source: string): DkimKey[] {
  const out: DkimKey[] = [];
  const cname = new Map<string, string>();
  for (const a of answers) {
    const r = a as Record<string, unknown>;
    if (r['type'] === 5 && typeof r['name'] === 'string' && typeof r['data'] === 'string') cname.set(r['data'].replace(/\.$/, '').toLowerCase(), r['name']);
  }
  for (const a of answers) {
    const r = a as Record<string, unknown>;
    if (r['type'] !== TXT) continue;
    if (typeof r['name'] !== 'string' || typeof r['data'] !== 'string') throw new KeyLoadError(source, 'a TXT answer needs string name and data');
    const owner = r['name'].replace(/\.$/, '');
    const name = splitKeyName(owner) ?? splitKeyName(cname.get(owner.toLowerCase()) ?? '');
    if (!name) continue;
    const chunks = [...r['data'].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1'));
    out.push({ ...name, value: chunks.length > 0 ? chunks.join('') : r['data'], source });
  }
  if (out.length === 0) throw new KeyLoadError(source, 'the DNS answer holds no TXT record of a <selector>._domainkey.<domain> name');
  return out;
}

/** The line of a JSON.parse error, from the position Node reports. */
function errorLine(text: string, e: Error): number {
  const pos = /position (\d+)/.exec(e.message)?.[1];
  const line = /line (\d+)/.exec(e.message)?.[1];
  if (line) return Number(line);
  return pos === undefined ? 1 : text.slice(0, Number(pos)).split('\n').length;
}

/**
 * Start lines of the elements of a top-level array (or [line of the object]), found by a scan
 * that skips strings. JSON.parse gives no positions, and no small library we know adds only that.
 */
function topLevelLines(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  let expectElement = false;
  let topIsArray = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (depth === 0 && (c === '{' || c === '[')) {
      topIsArray = c === '[';
      if (!topIsArray) out.push(line);
      expectElement = topIsArray;
      depth++;
      continue;
    }
    if (depth === 1 && topIsArray && expectElement && c !== ']') {
      out.push(line);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1 && topIsArray) expectElement = true;
  }
  return out.length > 0 ? out : [1];
}
