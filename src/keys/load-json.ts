// Key archives as JSON array or JSON Lines of {domain, selector, value, firstSeenAt?, lastSeenAt?}
// (the record shape of archive.prove.email).
import { KeyLoadError, type DkimKey } from './types.js';

export function parseJsonKeys(text: string, path: string): DkimKey[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(text);
    } catch (e) {
      throw new KeyLoadError(path, `not valid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(arr)) throw new KeyLoadError(path, 'expected a JSON array of key records');
    // Line numbers are not known inside a single JSON document; the array index is.
    return arr.map((rec: unknown, i) => toKey(rec, `${path}#${i}`));
  }
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
    out.push(toKey(rec, source));
  }
  return out;
}

function toKey(rec: unknown, source: string): DkimKey {
  if (typeof rec !== 'object' || rec === null) throw new KeyLoadError(source, 'expected an object');
  const r = rec as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
  const domain = str('domain');
  const selector = str('selector');
  const value = str('value');
  if (!domain || !selector || value === undefined) {
    throw new KeyLoadError(source, 'a key record needs string fields domain, selector and value');
  }
  const key: DkimKey = { domain, selector, value, source };
  const first = str('firstSeenAt');
  const last = str('lastSeenAt');
  if (first) key.firstSeenAt = first;
  if (last) key.lastSeenAt = last;
  return key;
}
