// A folder of `<selector>._domainkey.<domain>.txt` files, one TXT value per file (searched recursively).
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { splitKeyName, type DkimKey } from './types.js';

export async function loadKeyFolder(dir: string): Promise<DkimKey[]> {
  const out: DkimKey[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      out.push(...(await loadKeyFolder(p)));
      continue;
    }
    if (!e.isFile()) continue;
    const key = await loadKeyFile(p);
    if (key) out.push(key);
  }
  return out;
}

/** One `<selector>._domainkey.<domain>.txt` file; undefined when the name does not follow that form. */
export async function loadKeyFile(path: string): Promise<DkimKey | undefined> {
  const file = basename(path);
  if (!file.endsWith('.txt')) return undefined;
  const name = splitKeyName(file.slice(0, -'.txt'.length));
  if (!name) return undefined;
  return { ...name, value: txtFileValue(await readFile(path, 'latin1')), source: path };
}

/** Plain value, or the quoted strings of a zone-style TXT line joined (`"v=DKIM1; " "p=..."`). */
export function txtFileValue(text: string): string {
  const t = text.trim();
  if (!t.startsWith('"')) return t;
  const parts: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(t); m; m = re.exec(t)) parts.push((m[1] ?? '').replace(/\\(.)/g, '$1'));
  return parts.join('');
}
