// `nslookup -type=txt` output as saved on Windows and Linux: `<name>  text =` followed by the
// quoted strings (same line, or indented lines below), `<name>  canonical name = <target>` for
// CNAMEs. Hand-written: no library reads this, and its layout is a handful of lines.
import { KeyLoadError, splitKeyName, type DkimKey } from './types.js';

const TEXT_LINE = /^(\S+)\s+text\s*=\s*(.*)$/;
const CNAME_LINE = /^(\S+)\s+canonical name\s*=\s*(\S+?)\.?\s*$/;

export const looksLikeNslookup = (text: string): boolean => /^\S+\s+text\s*=/m.test(text);

export function parseNslookupKeys(text: string, path: string): DkimKey[] {
  const lines = text.split(/\r?\n/);
  const cname = new Map<string, string>();
  for (const l of lines) {
    const m = CNAME_LINE.exec(l);
    if (m?.[1] && m[2]) cname.set(m[2].toLowerCase(), m[1]);
  }
  const keys: DkimKey[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = TEXT_LINE.exec(lines[i] ?? '');
    if (!m?.[1]) continue;
    const owner = m[1].replace(/\.$/, '');
    let data = m[2] ?? '';
    // Windows prints the strings on the indented lines after a blank one.
    let j = i + 1;
    for (; j < lines.length; j++) {
      const next = lines[j] ?? '';
      if (next.trim() === '' && data.trim() === '') continue;
      if (!/^\s+"/.test(next)) break;
      data += next;
    }
    const chunks = [...data.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((c) => (c[1] ?? '').replace(/\\(.)/g, '$1'));
    const name = splitKeyName(owner) ?? splitKeyName(cname.get(owner.toLowerCase()) ?? '');
    if (!name) continue;
    if (chunks.length === 0 || (data.match(/"/g) ?? []).length % 2 !== 0) throw new KeyLoadError(`${path}:${i + 1}`, `the text of ${owner} is not in closed quotes`);
    keys.push({ ...name, value: chunks.join(''), source: `${path}:${i + 1}` });
    i = j - 1;
  }
  return keys;
}
