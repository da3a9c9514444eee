import type { Case } from '../store/case.js';
import type { Post } from './model.js';

/** The case's items as the spread analysis needs them: hash and the file names they were found under. */
export interface CaseItemRef {
  id: number;
  sha256: string;
  names: string[];
}

/** Read through the store's API (nothing here speaks SQL). */
export function caseItemRefs(kase: Case): CaseItemRef[] {
  const names = new Map<number, Set<string>>();
  for (const o of kase.allOccurrences()) {
    const base = o.path.split(/[/\\]/).pop() ?? '';
    const inner = base.split('!').pop() ?? base;
    if (!inner) continue;
    let s = names.get(o.itemId);
    if (!s) names.set(o.itemId, (s = new Set()));
    s.add(inner);
  }
  return kase.itemSummaries().map((i) => ({ id: i.id, sha256: i.sha256.toLowerCase(), names: [...(names.get(i.id) ?? [])] }));
}

/**
 * Which items a post links to: its media hash is the item's SHA-256, or its text or a URL names the
 * item's file name (names under 5 characters or without an extension are ignored: "a.b" is noise) or
 * its SHA-256.
 */
export class CaseLinker {
  private readonly byHash = new Map<string, number[]>();
  private readonly byName = new Map<string, number[]>();
  constructor(items: CaseItemRef[]) {
    const add = (m: Map<string, number[]>, k: string, id: number) => {
      const l = m.get(k);
      if (l) {
        if (!l.includes(id)) l.push(id);
      } else m.set(k, [id]);
    };
    for (const it of items) {
      add(this.byHash, it.sha256, it.id);
      for (const n of it.names) if (n.length >= 5 && /\.[a-z0-9]{2,5}$/i.test(n)) add(this.byName, n.toLowerCase(), it.id);
    }
  }
  get empty(): boolean {
    return this.byHash.size === 0;
  }
  itemsOf(p: Post): number[] {
    const out = new Set<number>();
    for (const m of p.media) for (const id of this.byHash.get(m.toLowerCase()) ?? []) out.add(id);
    const hay = [p.text ?? '', ...p.urls].join(' ').toLowerCase();
    for (const h of hay.match(/\b[0-9a-f]{64}\b/g) ?? []) for (const id of this.byHash.get(h) ?? []) out.add(id);
    for (const token of hay.match(/[^\s/?#=&"'<>()]+\.[a-z0-9]{2,5}\b/g) ?? []) {
      let t = token;
      try {
        t = decodeURIComponent(token);
      } catch {
        /* keep the raw token */
      }
      for (const id of this.byName.get(t) ?? []) out.add(id);
    }
    return [...out].sort((a, b) => a - b);
  }
}
