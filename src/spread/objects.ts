import { candidatePairs } from '../nearcopy/lsh.js';
import { minHasher } from '../nearcopy/minhash.js';
import { shingleHashes } from '../nearcopy/features.js';
import type { Post } from './model.js';
import { normaliseText, textHash } from './normalise.js';
import type { PostSet } from './posts.js';

/** What two accounts can both act on. */
export const OBJECT_KINDS = ['repost', 'reply', 'url', 'domain', 'text', 'near-text', 'hashtag', 'hashtag-set', 'media'] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

export const OBJECT_TITLES: Record<ObjectKind, string> = {
  repost: 'same reposted post (co-retweet)',
  reply: 'same reply target (co-reply)',
  url: 'same normalised URL (co-link)',
  domain: 'same web domain',
  text: 'same text after normalisation (co-tweet)',
  'near-text': 'near-duplicate text (MinHash, Jaccard of word 3-shingles ≥ ~0.6)',
  hashtag: 'same hashtag',
  'hashtag-set': 'same set of hashtags',
  media: 'same media (hash or id)',
};

/** Every (object, time, account, post) action of one kind, in columns. */
export interface ObjectTable {
  kind: ObjectKind;
  labels: string[];
  object: Int32Array;
  time: Float64Array;
  account: Int32Array;
  post: Int32Array;
  size: number;
}

/** The object keys one post acts on for a kind. Reposts count only as co-retweets (QUT: "retweets are excluded from all other network types"). */
function keysOf(p: Post, kind: ObjectKind): string[] {
  const notRepost = p.kind !== 'repost';
  switch (kind) {
    case 'repost':
      return p.kind === 'repost' && p.repostOf ? [p.repostOf] : [];
    case 'reply':
      return p.replyTo ? [p.replyTo] : [];
    case 'url':
      return notRepost ? p.urls : [];
    case 'domain':
      return notRepost ? (p.domains ?? [...new Set(p.urls.map((u) => u.split(/[/?]/, 1)[0] ?? '').filter(Boolean))]) : [];
    case 'text': {
      const h = notRepost && p.text ? textHash(p.text) : undefined;
      return h ? [h] : [];
    }
    case 'hashtag':
      return notRepost ? p.hashtags : [];
    case 'hashtag-set':
      return notRepost && p.hashtags.length ? [[...p.hashtags].sort().join(' ')] : [];
    case 'media':
      return notRepost ? p.media : [];
    case 'near-text':
      return [];
  }
}

export function buildObjectTable(set: PostSet, kind: ObjectKind): ObjectTable {
  if (kind === 'near-text') return nearTextTable(set);
  const ids = new Map<string, number>();
  const labels: string[] = [];
  const object: number[] = [];
  const time: number[] = [];
  const account: number[] = [];
  const post: number[] = [];
  const posts = set.posts;
  for (let i = 0; i < posts.length; i++) {
    const p = posts[i]!;
    const keys = keysOf(p, kind);
    for (const k of keys) {
      let o = ids.get(k);
      if (o === undefined) {
        o = labels.length;
        ids.set(k, o);
        labels.push(k);
      }
      object.push(o);
      time.push(p.at);
      account.push(set.accountOf[i]!);
      post.push(i);
    }
  }
  return { kind, labels, object: Int32Array.from(object), time: Float64Array.from(time), account: Int32Array.from(account), post: Int32Array.from(post), size: object.length };
}

/**
 * Near-duplicate texts grouped into one object each: MinHash of word 3-shingles, LSH banding
 * (the case's near-copy machinery), candidate pairs joined by union-find. Texts under 4 words are
 * left out: short phrases ("thank god!") match by chance.
 */
function nearTextTable(set: PostSet): ObjectTable {
  const hasher = minHasher(32);
  const sigs: Uint32Array[] = [];
  const postOf: number[] = [];
  set.posts.forEach((p, i) => {
    if (p.kind === 'repost' || !p.text) return;
    const t = normaliseText(p.text.replace(/https?:\/\/\S+/g, ' '));
    if (t.split(' ').length < 4) return;
    sigs.push(hasher.signature(shingleHashes(t, 3)));
    postOf.push(i);
  });
  const parent = Int32Array.from(sigs.keys());
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const [a, b] of candidatePairs(sigs, { bands: 8, rows: 4, maxBucket: 64 })) {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const labels: string[] = [];
  const ids = new Map<number, number>();
  const n = sigs.length;
  const object = new Int32Array(n);
  const time = new Float64Array(n);
  const account = new Int32Array(n);
  const post = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const root = find(s);
    let o = ids.get(root);
    if (o === undefined) {
      o = labels.length;
      ids.set(root, o);
      labels.push(`near:${set.posts[postOf[root]!]!.id}`);
    }
    const pi = postOf[s]!;
    object[s] = o;
    time[s] = set.posts[pi]!.at;
    account[s] = set.accountOf[pi]!;
    post[s] = pi;
  }
  return { kind: 'near-text', labels, object, time, account, post, size: n };
}

/** Entry order by (object, time), and where each object's run starts (length labels+1). */
export function sortByObjectTime(t: ObjectTable): { order: Int32Array; start: Int32Array } {
  const counts = new Int32Array(t.labels.length + 1);
  for (let e = 0; e < t.size; e++) counts[t.object[e]! + 1]!++;
  for (let o = 0; o < t.labels.length; o++) counts[o + 1]! += counts[o]!;
  const start = Int32Array.from(counts);
  const fill = Int32Array.from(counts);
  const order = new Int32Array(t.size);
  for (let e = 0; e < t.size; e++) order[fill[t.object[e]!]!++] = e;
  for (let o = 0; o < t.labels.length; o++) {
    const a = start[o]!;
    const b = start[o + 1]!;
    if (b - a > 1) {
      const run = Array.from(order.subarray(a, b)).sort((x, y) => t.time[x]! - t.time[y]! || x - y);
      order.set(run, a);
    }
  }
  return { order, start };
}
