import type { ObjectKind, ObjectTable } from './objects.js';
import { sortByObjectTime } from './objects.js';

/**
 * Two definitions of a co-action network, named after the tools that wrote them down.
 *
 * `qut` — coordination-network-toolkit (commit daa0e11): post a of account A and post b of account
 *   B match when they act on the same object and |t(b) − t(a)| ≤ W (inclusive) and a ≠ b. The
 *   directed weight A→B is how many distinct posts of A have at least one match by B. An edge A→B
 *   exists when that weight ≥ the minimum weight, each direction on its own, so one-way edges exist.
 *   Self-loops (A = B) are dropped.
 *
 * `coortweet` — CooRTweet's detect_groups + generate_coordinated_network: accounts with fewer than
 *   `minParticipation` shares are dropped first; then every pair of shares of the same object by
 *   different accounts with |Δt| ≤ W (inclusive) is a co-share; an account must take part in at
 *   least `minParticipation` distinct co-shared posts, and a co-share is kept when either side's
 *   account does; the undirected weight of a pair is its number of co-shares, with the number of
 *   distinct objects beside it.
 */
export type CoordinationMode = 'qut' | 'coortweet';

export interface CoordinationOptions {
  kind: ObjectKind;
  mode: CoordinationMode;
  windowSeconds: number;
  /** qut: minimum directed weight; coortweet: minimum co-shares of a pair. */
  minWeight: number;
  /** coortweet only. */
  minParticipation: number;
}

export const DEFAULT_WINDOW_SECONDS = 60;
export const DEFAULTS: Record<CoordinationMode, Omit<CoordinationOptions, 'kind' | 'mode'>> = {
  qut: { windowSeconds: DEFAULT_WINDOW_SECONDS, minWeight: 1, minParticipation: 1 },
  // CooRTweet's detect_groups defaults: time_window = 10, min_participation = 2.
  coortweet: { windowSeconds: 10, minWeight: 1, minParticipation: 2 },
};

export interface CoordinationEdge {
  /** Account numbers (PostSet order), a < b. */
  a: number;
  b: number;
  /** qut: distinct posts of a matched by b, and of b matched by a. coortweet: both the pair's co-shares. */
  weightAB: number;
  weightBA: number;
  /** Distinct objects the pair co-acted on within the window. */
  objects: number;
  /** A few of those objects (object numbers of the table). */
  sample: number[];
  firstAt: number;
  lastAt: number;
}

export interface CoordinationNetwork {
  options: CoordinationOptions;
  edges: CoordinationEdge[];
  /** Account numbers in at least one edge. */
  nodes: number[];
  /** Directed edges (qut) passing the minimum weight. */
  directedEdges: number;
  /** (pair, object) co-actions within the window over all pairs, before any minimum: the popularity null spreads these. */
  coActions: number;
  /** Pairs with at least one co-action, before any minimum. */
  candidatePairs: number;
}

const SAMPLE = 5;

interface PairAcc {
  ab: number;
  ba: number;
  objects: number;
  lastObject: number;
  sample: number[];
  firstAt: number;
  lastAt: number;
}

class Pairs {
  readonly map = new Map<number, PairAcc>();
  constructor(private readonly accounts: number) {}
  get(a: number, b: number): PairAcc {
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    const key = lo * this.accounts + hi;
    let p = this.map.get(key);
    if (!p) {
      p = { ab: 0, ba: 0, objects: 0, lastObject: -1, sample: [], firstAt: Infinity, lastAt: -Infinity };
      this.map.set(key, p);
    }
    return p;
  }
  noteObject(p: PairAcc, object: number, at: number): void {
    if (p.lastObject !== object) {
      // Both walks are object-major, so a changed object is a new one for this pair.
      p.lastObject = object;
      p.objects++;
      if (p.sample.length < SAMPLE && !p.sample.includes(object)) p.sample.push(object);
    }
    if (at < p.firstAt) p.firstAt = at;
    if (at > p.lastAt) p.lastAt = at;
  }
  pairOf(key: number): [number, number] {
    return [Math.floor(key / this.accounts), key % this.accounts];
  }
}

export function coordinationNetwork(table: ObjectTable, accountCount: number, options: CoordinationOptions): CoordinationNetwork {
  return options.mode === 'qut' ? qutNetwork(table, accountCount, options) : cooRTweetNetwork(table, accountCount, options);
}

function qutNetwork(t: ObjectTable, accountCount: number, options: CoordinationOptions): CoordinationNetwork {
  const W = options.windowSeconds * 1000;
  const { order, start } = sortByObjectTime(t);
  // Walk object by object (so distinct objects per pair are exact), each entry scanning its window.
  // "Distinct posts of A matched by B": one stamp per (entry, B); a post with several entries (two
  // URLs) also goes through a set of (post, B) so it counts once across its objects.
  let posts = 0;
  for (let e = 0; e < t.size; e++) if (t.post[e]! >= posts) posts = t.post[e]! + 1;
  const entriesOfPost = new Uint8Array(posts);
  for (let e = 0; e < t.size; e++) if (entriesOfPost[t.post[e]!]! < 2) entriesOfPost[t.post[e]!]!++;
  const multiSeen = new Set<number>();
  const stamp = new Int32Array(accountCount).fill(-1);
  const pairs = new Pairs(accountCount);
  for (let o = 0; o < t.labels.length; o++) {
    const lo = start[o]!;
    const hi = start[o + 1]!;
    if (hi - lo < 2) continue;
    let from = lo;
    let to = lo;
    for (let r = lo; r < hi; r++) {
      const e = order[r]!;
      const post = t.post[e]!;
      const a = t.account[e]!;
      const at = t.time[e]!;
      while (t.time[order[from]!]! < at - W) from++;
      if (to < r) to = r;
      while (to < hi && t.time[order[to]!]! <= at + W) to++;
      for (let k = from; k < to; k++) {
        const f = order[k]!;
        if (t.post[f] === post) continue;
        const b = t.account[f]!;
        if (b === a) continue; // a self-loop: counted by QUT, then left out of its graph
        if (stamp[b] === e) continue;
        stamp[b] = e;
        const p = pairs.get(a, b);
        pairs.noteObject(p, o, Math.min(at, t.time[f]!));
        if (entriesOfPost[post]! > 1) {
          const key = post * accountCount + b;
          if (multiSeen.has(key)) continue;
          multiSeen.add(key);
        }
        if (a < b) p.ab++;
        else p.ba++;
      }
    }
  }
  const edges: CoordinationEdge[] = [];
  let directed = 0;
  for (const [key, p] of pairs.map) {
    const ok1 = p.ab >= options.minWeight;
    const ok2 = p.ba >= options.minWeight;
    if (!ok1 && !ok2) continue;
    directed += (ok1 ? 1 : 0) + (ok2 ? 1 : 0);
    const [a, b] = pairs.pairOf(key);
    edges.push({ a, b, weightAB: ok1 ? p.ab : 0, weightBA: ok2 ? p.ba : 0, objects: p.objects, sample: p.sample, firstAt: p.firstAt, lastAt: p.lastAt });
  }
  return finish(options, edges, directed, pairs);
}

function cooRTweetNetwork(t: ObjectTable, accountCount: number, options: CoordinationOptions): CoordinationNetwork {
  const W = options.windowSeconds * 1000;
  const minPart = options.minParticipation;
  // Pre-filter: an account needs min_participation shares before it is considered at all.
  const shares = new Int32Array(accountCount);
  for (let e = 0; e < t.size; e++) shares[t.account[e]!]!++;
  const { order, start } = sortByObjectTime(t);
  const rows: number[] = []; // flat (entry, entry) co-shares
  for (let o = 0; o < t.labels.length; o++) {
    const lo = start[o]!;
    const hi = start[o + 1]!;
    for (let i = lo; i < hi; i++) {
      const x = order[i]!;
      if (shares[t.account[x]!]! < minPart) continue;
      for (let j = i + 1; j < hi; j++) {
        const y = order[j]!;
        if (t.time[y]! - t.time[x]! > W) break;
        if (shares[t.account[y]!]! < minPart) continue;
        if (t.post[x] === t.post[y] || t.account[x] === t.account[y]) continue;
        rows.push(x, y);
      }
    }
  }
  // An account takes part when ≥ min_participation of its distinct posts are in co-shares.
  const inRows = new Uint8Array(t.size);
  for (const e of rows) inRows[e] = 1;
  const seenPost = new Set<number>();
  const part = new Int32Array(accountCount);
  for (let e = 0; e < t.size; e++) {
    if (!inRows[e] || seenPost.has(t.post[e]!)) continue;
    seenPost.add(t.post[e]!);
    part[t.account[e]!]!++;
  }
  const pairs = new Pairs(accountCount);
  for (let r = 0; r < rows.length; r += 2) {
    const x = rows[r]!;
    const y = rows[r + 1]!;
    const ax = t.account[x]!;
    const ay = t.account[y]!;
    if (part[ax]! < minPart && part[ay]! < minPart) continue;
    const p = pairs.get(ax, ay);
    p.ab++;
    pairs.noteObject(p, t.object[x]!, Math.min(t.time[x]!, t.time[y]!));
  }
  const edges: CoordinationEdge[] = [];
  for (const [key, p] of pairs.map) {
    if (p.ab < options.minWeight) continue;
    const [a, b] = pairs.pairOf(key);
    edges.push({ a, b, weightAB: p.ab, weightBA: p.ab, objects: p.objects, sample: p.sample, firstAt: p.firstAt, lastAt: p.lastAt });
  }
  return finish(options, edges, edges.length, pairs);
}

function finish(options: CoordinationOptions, edges: CoordinationEdge[], directedEdges: number, pairs: Pairs): CoordinationNetwork {
  let coActions = 0;
  for (const p of pairs.map.values()) coActions += p.objects;
  const nodes = new Set<number>();
  for (const e of edges) {
    nodes.add(e.a);
    nodes.add(e.b);
  }
  return { options, edges, nodes: [...nodes].sort((x, y) => x - y), directedEdges, coActions, candidatePairs: pairs.map.size };
}

/** Connected components of the undirected network (union-find: the edge list is all there is). */
export function components(net: CoordinationNetwork, accountCount: number): number[][] {
  const parent = new Int32Array(accountCount);
  for (let i = 0; i < accountCount; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const e of net.edges) {
    const ra = find(e.a);
    const rb = find(e.b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const groups = new Map<number, number[]>();
  for (const n of net.nodes) {
    const r = find(n);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(n);
  }
  return [...groups.values()].sort((x, y) => y.length - x.length || (x[0] ?? 0) - (y[0] ?? 0));
}
