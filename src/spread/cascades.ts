import type { PostSet } from './posts.js';
import { snowflakeTime } from './snowflake.js';

/** A root post and what answered it: native reposts, quotes, replies (replies of replies give depth). */
export interface Cascade {
  rootPostId: string;
  /** Account of the root, when the root or a repost names it. */
  account?: string;
  /** Time of the root: its own post, else its Snowflake id, else the first repost. */
  rootAt: number;
  rootInData: boolean;
  reposts: number;
  quotes: number;
  replies: number;
  depth: number;
  timeTo15Ms?: number;
  timeTo87Ms?: number;
  /** Post indices of reposts, by time. */
  repostPosts: number[];
}

export function buildCascades(set: PostSet): Map<string, Cascade> {
  const byRoot = new Map<string, { reposts: number[]; quotes: number; replies: number; account?: string }>();
  const get = (id: string) => {
    let c = byRoot.get(id);
    if (!c) byRoot.set(id, (c = { reposts: [], quotes: 0, replies: 0 }));
    return c;
  };
  const replyParent = new Map<string, string>();
  set.posts.forEach((p, i) => {
    if (p.kind === 'repost' && p.repostOf) {
      const c = get(p.repostOf);
      c.reposts.push(i);
      if (p.repostOfAccount) c.account ??= p.repostOfAccount;
    } else if (p.quoteOf) {
      const c = get(p.quoteOf);
      c.quotes++;
      if (p.quoteOfAccount) c.account ??= p.quoteOfAccount;
    }
    if (p.replyTo) {
      replyParent.set(p.id, p.replyTo);
      const c = get(p.replyTo);
      c.replies++;
      if (p.replyToAccount) c.account ??= p.replyToAccount;
    }
  });
  // Depth of reply chains: 1 for a direct reply, +1 per level; reposts and quotes are depth 1.
  const depthOf = new Map<string, number>();
  const depth = (id: string): number => {
    let d = 0;
    let cur = id;
    const seen = new Set<string>();
    while (replyParent.has(cur) && !seen.has(cur)) {
      seen.add(cur);
      cur = replyParent.get(cur)!;
      d++;
    }
    return d;
  };
  const rootMaxDepth = new Map<string, number>();
  for (const id of replyParent.keys()) {
    let cur = id;
    const seen = new Set<string>();
    while (replyParent.has(cur) && !seen.has(cur)) {
      seen.add(cur);
      cur = replyParent.get(cur)!;
    }
    const d = depthOf.get(id) ?? depth(id);
    if (d > (rootMaxDepth.get(cur) ?? 0)) rootMaxDepth.set(cur, d);
  }
  const out = new Map<string, Cascade>();
  for (const [id, c] of byRoot) {
    c.reposts.sort((x, y) => set.posts[x]!.at - set.posts[y]!.at);
    const idx = set.indexOf(id);
    const root = idx !== undefined ? set.posts[idx] : undefined;
    const firstRepost = c.reposts[0] !== undefined ? set.posts[c.reposts[0]]!.at : undefined;
    const rootAt = root?.at ?? snowflakeTime(id) ?? firstRepost ?? 0;
    const at = (n: number) => (c.reposts[n - 1] !== undefined ? set.posts[c.reposts[n - 1]!]!.at - rootAt : undefined);
    const account = root?.account ?? c.account;
    const t15 = at(15);
    const t87 = at(87);
    out.set(id, {
      rootPostId: id,
      ...(account ? { account } : {}),
      rootAt,
      rootInData: !!root,
      reposts: c.reposts.length,
      quotes: c.quotes,
      replies: c.replies,
      depth: Math.max(c.reposts.length || c.quotes ? 1 : 0, rootMaxDepth.get(id) ?? 0),
      ...(t15 !== undefined ? { timeTo15Ms: t15 } : {}),
      ...(t87 !== undefined ? { timeTo87Ms: t87 } : {}),
      repostPosts: c.reposts,
    });
  }
  return out;
}

/** The root a post belongs to: what it reposts or quotes, the top of its reply chain, or itself. */
export function rootOf(set: PostSet, i: number): string {
  const p = set.posts[i]!;
  if (p.kind === 'repost' && p.repostOf) return p.repostOf;
  if (p.quoteOf) return p.quoteOf;
  let cur = p;
  const seen = new Set<string>();
  while (cur.replyTo && !seen.has(cur.id)) {
    seen.add(cur.id);
    const j = set.indexOf(cur.replyTo);
    if (j === undefined) return cur.replyTo;
    cur = set.posts[j]!;
  }
  return cur.id;
}

/** Posts per minute from the first: [minute offset, count], with empty minutes left out. */
export function perMinute(times: number[]): { start: number; counts: [number, number][] } {
  if (!times.length) return { start: 0, counts: [] };
  const start = Math.min(...times);
  const m = new Map<number, number>();
  for (const t of times) {
    const k = Math.floor((t - start) / 60000);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return { start, counts: [...m].sort((a, b) => a[0] - b[0]) };
}
