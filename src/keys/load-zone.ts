// DNS answers as people save them: BIND zone files, `dig` output (its `;` lines are comments,
// owners absolute, TTL and class present), single `sel._domainkey.example.org TXT "..."` lines.
// Only TXT records of `<selector>._domainkey.<domain>` names are kept, CNAMEs to them followed
// (dig shows the chain for keys hosted by a mail provider). Hand-written because the npm zone-file
// parsers we looked at either drop $ORIGIN handling or mangle multi-string TXT data; this covers
// the subset DKIM archives use (parentheses, quoted chunks, $ORIGIN, relative names).
import { KeyLoadError, splitKeyName, type DkimKey } from './types.js';

interface Token {
  text: string;
  quoted: boolean;
  line: number;
}

/** One logical record: tokens across parenthesised lines, and whether it began with blank owner. */
interface Entry {
  tokens: Token[];
  line: number;
  inheritsOwner: boolean;
}

const MAX_CNAME_HOPS = 8;

/**
 * Keys of every `_domainkey` TXT record (and CNAME to a TXT record) in the text. A record that is
 * clearly meant as a key but cannot be read (unterminated quote, relative owner without $ORIGIN,
 * TXT without data) is an error naming the file and line, never a silent skip.
 */
export function parseZoneKeys(text: string, path: string): DkimKey[] {
  const txt = new Map<string, { value: string; line: number }[]>();
  const cnames: { owner: string; target: string; line: number }[] = [];
  let origin = '';
  let lastOwner = '';
  for (const entry of entries(text, path)) {
    const toks = entry.tokens;
    const first = toks[0];
    if (!first) continue;
    if (!first.quoted && first.text.toUpperCase() === '$ORIGIN') {
      origin = absolute(toks[1]?.text ?? '', origin);
      continue;
    }
    if (!first.quoted && first.text.startsWith('$')) continue; // $TTL, $INCLUDE (not followed)
    let i = 0;
    let owner = lastOwner;
    if (!entry.inheritsOwner) {
      owner = absolute(first.text, origin);
      i = 1;
    }
    lastOwner = owner;
    // Skip optional TTL and class, in either order.
    while (i < toks.length && !toks[i]?.quoted && isTtlOrClass(toks[i]?.text ?? '')) i++;
    const type = toks[i]?.quoted ? '' : (toks[i]?.text.toUpperCase() ?? '');
    const where = `${path}:${entry.line}`;
    if (type === 'CNAME') {
      const target = toks[i + 1];
      if (target) cnames.push({ owner: owner.toLowerCase(), target: absolute(target.text, origin).toLowerCase(), line: entry.line });
      continue;
    }
    if (type !== 'TXT') continue;
    if (/\._domainkey$/i.test(owner)) {
      throw new KeyLoadError(where, `the owner ${owner} is relative and no $ORIGIN gives its domain; write it in full (${owner}.example.org.) or add a $ORIGIN line`);
    }
    const data = toks.slice(i + 1);
    if (data.length === 0) throw new KeyLoadError(where, `TXT record of ${owner} has no data`);
    if (data.some((t) => !t.quoted) && splitKeyName(owner) && !/(^|;)\s*p=/.test(data.map((t) => t.text).join(''))) {
      throw new KeyLoadError(where, `TXT data of ${owner} is not in quotes, and in zone syntax ';' starts a comment, so the key was cut; put the value in double quotes`);
    }
    // TXT character-strings (each at most 255 bytes) are concatenated without separator.
    const list = txt.get(owner.toLowerCase()) ?? [];
    list.push({ value: data.map((t) => t.text).join(''), line: entry.line });
    txt.set(owner.toLowerCase(), list);
  }
  const keys: DkimKey[] = [];
  const seen = new Set<string>();
  const emit = (name: { selector: string; domain: string }, rec: { value: string; line: number }): void => {
    const id = `${name.selector}\u0000${name.domain}\u0000${rec.line}`.toLowerCase();
    if (seen.has(id)) return;
    seen.add(id);
    keys.push({ ...name, value: rec.value, source: `${path}:${rec.line}` });
  };
  for (const [owner, recs] of txt) {
    const name = splitKeyName(owner);
    if (name) for (const r of recs) emit(name, r);
  }
  for (const c of cnames) {
    const name = splitKeyName(c.owner);
    if (!name) continue;
    let target = c.target;
    for (let hop = 0; hop < MAX_CNAME_HOPS && !txt.has(target); hop++) {
      const next = cnames.find((x) => x.owner === target);
      if (!next) break;
      target = next.target;
    }
    for (const r of txt.get(target) ?? []) emit(name, r);
  }
  return keys.sort((a, b) => lineOf(a.source) - lineOf(b.source));
}

const lineOf = (source: string): number => Number(/:(\d+)$/.exec(source)?.[1] ?? 0);

function isTtlOrClass(t: string): boolean {
  return /^\d+[smhdwSMHDW]?$/.test(t) || /^(IN|CH|HS|CS)$/i.test(t);
}

function absolute(name: string, origin: string): string {
  if (name === '@') return origin;
  if (name.endsWith('.')) return name.slice(0, -1);
  return origin ? `${name}.${origin}` : name;
}

/** Splits the file into logical records, honouring quotes, `;` comments and parentheses. */
function* entries(text: string, path: string): Generator<Entry> {
  let tokens: Token[] = [];
  let depth = 0;
  let line = 1;
  let entryLine = 1;
  let inheritsOwner = false;
  let atLineStart = true;
  let i = 0;
  const flush = function* (): Generator<Entry> {
    if (tokens.length > 0) yield { tokens, line: entryLine, inheritsOwner };
    tokens = [];
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\n') {
      line++;
      i++;
      if (depth === 0) {
        yield* flush();
        atLineStart = true;
      }
      continue;
    }
    if (atLineStart && depth === 0) {
      inheritsOwner = c === ' ' || c === '\t';
      entryLine = line;
      atLineStart = false;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === ';') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (c === '"') {
      let s = '';
      const opened = line;
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) {
          const dec = /^\d{3}/.exec(text.slice(i + 1, i + 4));
          if (dec) {
            s += String.fromCharCode(Number(dec[0]));
            i += 4;
          } else {
            s += text[i + 1];
            i += 2;
          }
          continue;
        }
        if (text[i] === '\n') line++;
        s += text[i];
        i++;
      }
      if (i >= text.length) throw new KeyLoadError(`${path}:${opened}`, 'quoted string not closed (a record cut when saved?)');
      i++;
      tokens.push({ text: s, quoted: true, line });
    } else {
      let s = '';
      while (i < text.length && !/[\s;()"]/.test(text[i] as string)) s += text[i++];
      tokens.push({ text: s, quoted: false, line });
    }
  }
  if (depth > 0) throw new KeyLoadError(`${path}:${entryLine}`, "'(' opened here is never closed");
  yield* flush();
}
