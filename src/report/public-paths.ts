// Reports, bundles and API answers get published: they must not carry the journalist's local paths
// (home folder, user name, where the dump sits). Paths are named relative to the case instead: the
// case folder by its name, a dump root by the name its occurrences use, a key file by its file name.
import { basename, isAbsolute } from 'node:path';
import type { Json } from '../model.js';
import type { Case } from '../store/case.js';

export type Redact = (text: string) => string;

/** Absolute path prefixes longest first, so a dump root inside the case folder is named by its root. */
function replacer(pairs: [string, string][]): Redact {
  const list = pairs.filter(([from]) => from.length > 1).sort((a, b) => b[0].length - a[0].length);
  if (list.length === 0) return (t) => t;
  return (text: string) => {
    let out = text;
    for (const [from, to] of list) if (out.includes(from)) out = out.split(from).join(to);
    return out;
  };
}

/**
 * A key source as it may be published: `keys.jsonl:2`, `s1._domainkey.example.txt`, `dns:...@date`.
 * Key files given by absolute path (cases made before sources were labelled at ingest) lose their folder.
 */
export function publicKeySource(source: string): string {
  return isAbsolute(source) ? basename(source) : source;
}

/** Replaces every local absolute path the case knows of (case folder, dump roots, key files) in a text. */
export function localPathRedactor(kase: Case): Redact {
  const pairs: [string, string][] = [[kase.dir, basename(kase.dir)]];
  for (const r of kase.rootPaths()) pairs.push([r.path, r.name]);
  for (const k of kase.keys()) {
    const file = k.source.replace(/:\d+$/, '');
    if (isAbsolute(file)) pairs.push([file, publicKeySource(file)]);
  }
  return replacer(pairs);
}

/** The same JSON value with every string (keys of objects too) passed through `redact`. */
export function redactJson<T extends Json>(value: T, redact: Redact): T {
  const walk = (v: Json): Json => {
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: { [k: string]: Json } = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) out[redact(k)] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
