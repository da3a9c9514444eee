// BIND zone files: only TXT records under `_domainkey` are kept. Hand-written because the npm
// zone-file parsers we looked at either drop $ORIGIN handling or mangle multi-string TXT data;
// this covers the subset DKIM archives use (parentheses, quoted chunks, $ORIGIN, relative names).
import { splitKeyName, type DkimKey } from './types.js';

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

export function parseZoneKeys(text: string, path: string): DkimKey[] {
  const keys: DkimKey[] = [];
  let origin = '';
  let lastOwner = '';
  for (const entry of entries(text)) {
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
    const type = toks[i];
    if (!type || type.text.toUpperCase() !== 'TXT') continue;
    const name = splitKeyName(owner);
    if (!name) continue;
    // TXT character-strings (each at most 255 bytes) are concatenated without separator.
    const value = toks.slice(i + 1).map((t) => t.text).join('');
    keys.push({ ...name, value, source: `${path}:${entry.line}` });
  }
  return keys;
}

function isTtlOrClass(t: string): boolean {
  return /^\d+[smhdwSMHDW]?$/.test(t) || /^(IN|CH|HS|CS)$/i.test(t);
}

function absolute(name: string, origin: string): string {
  if (name === '@') return origin;
  if (name.endsWith('.')) return name.slice(0, -1);
  return origin ? `${name}.${origin}` : name;
}

/** Splits the file into logical records, honouring quotes, `;` comments and parentheses. */
function* entries(text: string): Generator<Entry> {
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
      i++;
      tokens.push({ text: s, quoted: true, line });
    } else {
      let s = '';
      while (i < text.length && !/[\s;()"]/.test(text[i] as string)) s += text[i++];
      tokens.push({ text: s, quoted: false, line });
    }
  }
  yield* flush();
}
