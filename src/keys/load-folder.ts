// Key files as people save them, alone or in a folder (searched recursively): a bare TXT value or
// its quoted strings in a file named `<selector>._domainkey.<domain>[.txt]`, or any file whose lines
// name their owner (zone lines, `dig` or `nslookup` output) or JSON from a key archive. The domain never comes from
// a file name silently: a record naming its owner must agree with the file name, and a bare value
// needs a file name that says which key it is.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseJsonKeys } from './load-json.js';
import { looksLikeNslookup, parseNslookupKeys } from './load-nslookup.js';
import { parseZoneKeys } from './load-zone.js';
import { KeyLoadError, splitKeyName, type DkimKey } from './types.js';

/** Files a key folder may hold besides keys: notes and system files. */
const NOT_KEYS = /^(\.|readme|license|notes?\b)|\.(md|html?|pdf)$/i;

export async function loadKeyFolder(dir: string): Promise<DkimKey[]> {
  const out: DkimKey[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.')) out.push(...(await loadKeyFolder(p)));
      continue;
    }
    if (!e.isFile() || NOT_KEYS.test(e.name)) continue;
    out.push(...(await loadKeyFile(p)));
  }
  return out;
}

/** The keys of one file, whatever its format (see the module comment). */
export async function loadKeyFile(path: string): Promise<DkimKey[]> {
  const bytes = await readFile(path);
  const head = bytes.toString('latin1', 0, 512).replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart()[0];
  // Zone files and TXT values are ASCII in practice; latin1 keeps any stray byte instead of failing.
  const text = bytes.toString('latin1').replace(/^\xEF\xBB\xBF/, '');
  const named = fileKeyName(path);
  const json = head === '[' || head === '{';
  const owned = json ? parseJsonKeys(bytes.toString('utf8'), path) : looksLikeNslookup(text) ? parseNslookupKeys(text, path) : parseZoneKeys(text, path);
  if (json && owned.length === 0) return owned;
  if (owned.length > 0) {
    for (const k of owned) {
      if (named && (named.selector.toLowerCase() !== k.selector.toLowerCase() || named.domain.toLowerCase() !== k.domain.toLowerCase())) {
        throw new KeyLoadError(
          k.source,
          `the record is for ${k.selector}._domainkey.${k.domain} but the file name says ${named.selector}._domainkey.${named.domain}; rename the file or fix the record`,
        );
      }
    }
    return owned;
  }
  if (!named) {
    // An empty archive (an export with no keys) holds no keys; that is not an error.
    if (text.trim() === '') return [];
    throw new KeyLoadError(
      path,
      'cannot tell which key this is: the file name is not <selector>._domainkey.<domain>[.txt] and no line is a TXT record naming its owner (e.g. `sel._domainkey.example.org. IN TXT "v=DKIM1; p=..."`); rename the file after its key, or add the owner',
    );
  }
  // An empty file is an empty TXT record: kept, and reported as unusable where a signature needs it.
  return [{ ...named, value: txtFileValue(text, path), source: path }];
}

/** `sel._domainkey.example.org.txt`, `.json`, … or `sel._domainkey.example.org` → its key name. */
function fileKeyName(path: string): { selector: string; domain: string } | undefined {
  // Extensions that are no top-level domain (`.zone` is one, so it stays part of the name).
  const file = basename(path).replace(/\.(txt|json|jsonl|dig|db)$/i, '');
  const name = splitKeyName(file);
  // A domain needs a dot and no spaces; `sel._domainkey.example` alone would be a guess.
  return name && /^[^\s/]+\.[^\s/.]+$/.test(name.domain) ? name : undefined;
}

/**
 * Plain value (comment lines starting with ';' or '#' dropped, lines joined), or the quoted strings of
 * a TXT line joined (`"v=DKIM1; " "p=..."`, as `dig +short` prints them).
 */
export function txtFileValue(text: string, path = 'key file'): string {
  const lines = text.split(/\r?\n/).filter((l) => !/^\s*[;#]/.test(l));
  const t = lines.join('\n').trim();
  if (!t.startsWith('"')) return t.replace(/\s*\n\s*/g, '');
  const parts: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"/g;
  let end = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    parts.push((m[1] ?? '').replace(/\\(\d{3}|.)/g, (_, e: string) => (e.length === 3 ? String.fromCharCode(Number(e)) : e)));
    end = re.lastIndex;
  }
  if (t.slice(end).replace(/[\s()]/g, '') !== '' || parts.length === 0) {
    throw new KeyLoadError(path, 'quoted TXT strings are not closed or text follows them; save the value as the quoted strings only, or bare');
  }
  return parts.join('');
}
