import { botSignals, type AccountSignals } from './bots.js';
import { buildCascades, perMinute, rootOf, type Cascade } from './cascades.js';
import type { CaseLinker } from './case-links.js';
import { componentClusters, louvainClusters, type Cluster } from './clusters.js';
import { components, coordinationNetwork, DEFAULTS, type CoordinationMode, type CoordinationNetwork } from './coordination.js';
import { matches, parseMarker, topMarkers, type Marker } from './markers.js';
import { buildObjectTable, OBJECT_KINDS, OBJECT_TITLES, type ObjectKind, type ObjectTable } from './objects.js';
import { activity, popularityControl, POPULARITY_DEFAULTS, type PairEvidence } from './popularity.js';
import type { PostSet } from './posts.js';

/** Object kinds run when none are named: all but single hashtags and domains, which everyone shares. */
export const DEFAULT_KINDS: ObjectKind[] = ['repost', 'url', 'text', 'near-text', 'reply', 'media', 'hashtag-set'];

export const DEFAULT_MAX_SHARERS = 1000;

export interface SpreadOptions {
  markers?: string[];
  windowSeconds?: number;
  mode?: CoordinationMode;
  kinds?: ObjectKind[];
  minWeight?: number;
  minParticipation?: number;
  earliest?: number;
  cascades?: number;
  alpha?: number;
  minObjects?: number;
  linker?: CaseLinker;
  /** Objects acted on by more accounts are not paired (default 1,000; Infinity: none). */
  maxSharers?: number;
  /** Accounts listed in the result: those with a signal or in a cluster, highest bot-likeness first (default 2,000). */
  maxAccounts?: number;
  /** Posts kept per listed account for the workbench (default 20). */
  postsPerAccount?: number;
}

export interface PostJson {
  id: string;
  at: number;
  kind: string;
  text?: string;
  of?: string;
  urls: string[];
  hashtags: string[];
  items?: number[];
}

export interface EarliestPost {
  postId: string;
  account: string;
  handle?: string;
  at: number;
}

/** A cascade as the JSON contract gives it: without the post indices and the root time kept for analysis. */
export type CascadeJson = Omit<Cascade, 'rootAt' | 'repostPosts'>;

export interface MarkerJson {
  marker: string;
  kind: Marker['kind'];
  posts: number;
  accounts: number;
  earliest: EarliestPost[];
  perMinute: { start: number; counts: [number, number][] };
  topCascades: CascadeJson[];
  items: number[];
}

export interface ClusterJson {
  id: string;
  method: Cluster['method'];
  accounts: string[];
  handles: string[];
  kinds: ObjectKind[];
  pairs: number;
  coActions: number;
  expected: number;
  lift: number;
  objects: { kind: ObjectKind; object: string; pairs: number }[];
  firstAt: number;
  lastAt: number;
  why: string;
}

export interface KindJson {
  kind: ObjectKind;
  title: string;
  actions: number;
  nodes: number;
  pairs: number;
  directedEdges: number;
  components: number;
  largestComponent: number;
  significantPairs: number;
  /** Objects too widely shared to pair (see maxSharers): the first few, with their sharers. */
  unpaired: { object: string; sharers: number }[];
  unpairedCount: number;
  ms: number;
}

export interface AccountJson {
  account: string;
  handle?: string;
  botLikeness: number;
  signals: { id: string; why: string }[];
  benign: { id: string; why: string }[];
  posts: number;
  perDay: number;
  clusters: string[];
}

export interface EdgeJson {
  kind: ObjectKind;
  source: string;
  target: string;
  weightAB: number;
  weightBA: number;
  objects: number;
  expected: number;
  significant: boolean;
}

/** The significant pairs (those beyond popularity), for the workbench to draw: capped, strongest first. */
export interface WorkbenchNetwork {
  edges: { kind: ObjectKind; source: string; target: string; weight: number }[];
  truncated: boolean;
}

export function workbenchNetwork(a: { edges: EdgeJson[] }, max = 20_000): WorkbenchNetwork {
  const sig = a.edges.filter((e) => e.significant).sort((x, y) => y.objects - x.objects || x.source.localeCompare(y.source) || x.target.localeCompare(y.target));
  return { edges: sig.slice(0, max).map((e) => ({ kind: e.kind, source: e.source, target: e.target, weight: e.objects })), truncated: sig.length > max };
}

export interface SpreadResult {
  posts: number;
  accountCount: number;
  duplicates: number;
  span: { first: number; last: number };
  markers: MarkerJson[];
  coordination: {
    window: number;
    mode: CoordinationMode;
    minWeight: number;
    minParticipation: number;
    maxSharers: number | null;
    kinds: KindJson[];
    clusters: ClusterJson[];
    communities: ClusterJson[];
    explainedByPopularity: { pairs: number; accounts: number };
  };
  accounts: AccountJson[];
  /** Posts linking to each item of the case; `linked` holds the first 50 of them, for the workbench. */
  items: { itemId: number; posts: number; accounts: number; firstAt: number; postIds: string[]; linked?: (PostJson & { account: string; handle?: string })[] }[];
  /** Cascades with the most reposts, whatever the marker. */
  topCascades: CascadeJson[];
  /** A few posts of each listed account, by time. */
  accountPosts: { [account: string]: PostJson[] };
  timings: { [stage: string]: number };
}

export interface SpreadAnalysis {
  result: SpreadResult;
  edges: EdgeJson[];
  /** Post ids by account id, for the workbench. */
  set: PostSet;
}

/** The `n` largest cascades by reposts, then by quotes and replies, as JSON. */
function largestCascades(list: Cascade[], n: number): CascadeJson[] {
  return list
    .sort((a, b) => b.reposts - a.reposts || b.quotes + b.replies - (a.quotes + a.replies))
    .slice(0, n)
    .map(({ repostPosts: _r, rootAt: _t, ...c }) => c);
}

function postJson(p: PostSet['posts'][number], items: number[] | undefined): PostJson {
  const of = p.repostOf ?? p.quoteOf ?? p.replyTo;
  return { id: p.id, at: p.at, kind: p.kind, ...(p.text ? { text: p.text.slice(0, 280) } : {}), ...(of ? { of } : {}), urls: p.urls.slice(0, 5), hashtags: p.hashtags.slice(0, 10), ...(items ? { items } : {}) };
}

function kindsWithData(set: PostSet, kinds: ObjectKind[]): ObjectKind[] {
  const has = (k: ObjectKind) =>
    set.posts.some((p) =>
      k === 'repost' ? p.kind === 'repost' : k === 'reply' ? !!p.replyTo : k === 'url' ? p.urls.length > 0 : k === 'media' ? p.media.length > 0 : k === 'domain' ? !!p.domains?.length || p.urls.length > 0 : k.startsWith('hashtag') ? p.hashtags.length > 0 : !!p.text && p.kind !== 'repost',
    );
  return kinds.filter(has);
}

export function analyseSpread(set: PostSet, options: SpreadOptions = {}): SpreadAnalysis {
  const timings: Record<string, number> = {};
  const clock = (stage: string, since: number) => (timings[stage] = Math.round((performance.now() - since) * 10) / 10);
  const mode = options.mode ?? 'qut';
  const defaults = DEFAULTS[mode];
  const windowSeconds = options.windowSeconds ?? defaults.windowSeconds;
  const minWeight = options.minWeight ?? defaults.minWeight;
  const minParticipation = options.minParticipation ?? defaults.minParticipation;
  const ids = set.accountIds;
  const handleOf = new Map<number, string>();
  set.posts.forEach((p, i) => {
    if (p.handle && !handleOf.has(set.accountOf[i]!)) handleOf.set(set.accountOf[i]!, p.handle);
  });
  let first = Infinity;
  let last = -Infinity;
  for (const p of set.posts) {
    if (p.at < first) first = p.at;
    if (p.at > last) last = p.at;
  }

  // Coordination, kind by kind, then clusters over every kind's significant pairs.
  let t0 = performance.now();
  const kinds = kindsWithData(set, options.kinds ?? DEFAULT_KINDS);
  const kindJson: KindJson[] = [];
  const evidence: (PairEvidence & { kind: ObjectKind })[] = [];
  const tables = new Map<ObjectKind, ObjectTable>();
  const edges: EdgeJson[] = [];
  for (const kind of kinds) {
    const s = performance.now();
    const table = buildObjectTable(set, kind);
    tables.set(kind, table);
    const net: CoordinationNetwork = coordinationNetwork(table, ids.length, { kind, mode, windowSeconds, minWeight, minParticipation, maxSharers: options.maxSharers ?? DEFAULT_MAX_SHARERS });
    const comps = components(net, ids.length);
    const pairs = popularityControl(net, activity(table, ids.length), { alpha: options.alpha ?? POPULARITY_DEFAULTS.alpha, minObjects: options.minObjects ?? POPULARITY_DEFAULTS.minObjects });
    for (const p of pairs) {
      evidence.push({ ...p, kind });
      edges.push({ kind, source: ids[p.edge.a]!, target: ids[p.edge.b]!, weightAB: p.edge.weightAB, weightBA: p.edge.weightBA, objects: p.observed, expected: round(p.expected), significant: p.significant });
    }
    kindJson.push({
      kind,
      title: OBJECT_TITLES[kind],
      actions: table.size,
      nodes: net.nodes.length,
      pairs: net.edges.length,
      directedEdges: net.directedEdges,
      components: comps.length,
      largestComponent: comps[0]?.length ?? 0,
      significantPairs: pairs.filter((p) => p.significant).length,
      unpaired: net.skippedObjects.slice(0, 10).map((x) => ({ object: table.labels[x.object] ?? String(x.object), sharers: x.sharers })),
      unpairedCount: net.skippedObjects.length,
      ms: Math.round((performance.now() - s) * 10) / 10,
    });
  }
  const clusters = componentClusters(evidence);
  const communities = louvainClusters(evidence);
  const test = { minObjects: options.minObjects ?? POPULARITY_DEFAULTS.minObjects, alpha: options.alpha ?? POPULARITY_DEFAULTS.alpha };
  const describe = (c: Cluster): ClusterJson => clusterJson(c, test, tables, ids, handleOf);
  const clustersJson = clusters.map(describe);
  const communitiesJson = communities.map(describe);
  const inCluster = new Set(clusters.flatMap((c) => c.members));
  const explainedAccounts = new Set<number>();
  let explainedPairs = 0;
  for (const e of evidence)
    if (!e.significant) {
      explainedPairs++;
      if (!inCluster.has(e.edge.a)) explainedAccounts.add(e.edge.a);
      if (!inCluster.has(e.edge.b)) explainedAccounts.add(e.edge.b);
    }
  clock('coordination', t0);

  // Markers, earliest posters, cascades, case items.
  t0 = performance.now();
  const itemsOfPost = new Map<number, number[]>();
  if (options.linker && !options.linker.empty)
    set.posts.forEach((p, i) => {
      const items = options.linker!.itemsOf(p);
      if (items.length) itemsOfPost.set(i, items);
    });
  const cascades = buildCascades(set);
  clock('cascades', t0);
  t0 = performance.now();
  const markers = options.markers?.length ? options.markers.map(parseMarker) : topMarkers(set.posts);
  const index = markerIndex(set);
  const markersJson = markers.map((m) => markerJson(m, index, set, cascades, itemsOfPost, handleOf, options.earliest ?? 10, options.cascades ?? 5));
  const items = new Map<number, number[]>();
  for (const [post, list] of itemsOfPost) for (const it of list) (items.get(it) ?? items.set(it, []).get(it)!).push(post);
  const itemsJson = [...items].map(([itemId, posts]) => ({
    itemId,
    posts: posts.length,
    accounts: new Set(posts.map((i) => set.accountOf[i])).size,
    firstAt: Math.min(...posts.map((i) => set.posts[i]!.at)),
    postIds: posts.sort((a, b) => set.posts[a]!.at - set.posts[b]!.at).slice(0, 50).map((i) => set.posts[i]!.id),
    linked: posts.slice(0, 50).map((i) => {
      const p = set.posts[i]!;
      const handle = handleOf.get(set.accountOf[i]!);
      return { account: ids[set.accountOf[i]!]!, ...(handle ? { handle } : {}), ...postJson(p, itemsOfPost.get(i)) };
    }),
  }));
  clock('markers', t0);

  t0 = performance.now();
  const clusterOf = new Map<number, string[]>();
  for (const c of [...clusters, ...communities]) for (const m of c.members) (clusterOf.get(m) ?? clusterOf.set(m, []).get(m)!).push(c.id);
  const maxAccounts = options.maxAccounts ?? 2000;
  const scored = botSignals(set).filter((a) => a.signals.length > 0 || a.benign.length > 0 || clusterOf.has(a.account));
  const listed = [...scored.filter((a) => clusterOf.has(a.account)), ...scored.filter((a) => !clusterOf.has(a.account))].slice(0, maxAccounts);
  listed.sort((x, y) => y.botLikeness - x.botLikeness || y.signals.length - x.signals.length || y.posts - x.posts);
  const accounts = listed.map((a: AccountSignals): AccountJson => {
    const handle = handleOf.get(a.account);
    return { account: ids[a.account]!, ...(handle ? { handle } : {}), botLikeness: a.botLikeness, signals: a.signals, benign: a.benign, posts: a.posts, perDay: a.perDay, clusters: clusterOf.get(a.account) ?? [] };
  });
  const perAccount = options.postsPerAccount ?? 20;
  const wanted = new Map(listed.map((a) => [a.account, [] as number[]]));
  set.posts.forEach((_p, i) => wanted.get(set.accountOf[i]!)?.push(i));
  const accountPosts: Record<string, PostJson[]> = {};
  for (const [a, list] of wanted) {
    accountPosts[ids[a]!] = list
      .sort((x, y) => set.posts[x]!.at - set.posts[y]!.at)
      .slice(0, perAccount)
      .map((i) => {
        return postJson(set.posts[i]!, itemsOfPost.get(i));
      });
  }
  clock('accounts', t0);

  return {
    result: {
      posts: set.size,
      accountCount: ids.length,
      duplicates: set.duplicates,
      span: { first: Number.isFinite(first) ? first : 0, last: Number.isFinite(last) ? last : 0 },
      markers: markersJson,
      coordination: {
        window: windowSeconds,
        mode,
        minWeight,
        minParticipation,
        maxSharers: Number.isFinite(options.maxSharers ?? DEFAULT_MAX_SHARERS) ? (options.maxSharers ?? DEFAULT_MAX_SHARERS) : null,
        kinds: kindJson,
        clusters: clustersJson,
        communities: communitiesJson,
        explainedByPopularity: { pairs: explainedPairs, accounts: explainedAccounts.size },
      },
      accounts,
      items: itemsJson,
      topCascades: largestCascades([...cascades.values()], options.cascades ?? 5),
      accountPosts,
      timings,
    },
    edges,
    set,
  };
}

interface MarkerIndex {
  tags: Map<string, number[]>;
  urls: Map<string, number[]>;
}

/** Posts by hashtag and by URL, built once for all markers. */
function markerIndex(set: PostSet): MarkerIndex {
  const tags = new Map<string, number[]>();
  const urls = new Map<string, number[]>();
  set.posts.forEach((p, i) => {
    for (const h of p.hashtags) (tags.get(h) ?? tags.set(h, []).get(h)!).push(i);
    for (const u of p.urls) (urls.get(u) ?? urls.set(u, []).get(u)!).push(i);
  });
  return { tags, urls };
}

const round = (x: number) => Number(x.toPrecision(3));

function clusterJson(c: Cluster, test: { minObjects: number; alpha: number }, tables: Map<ObjectKind, ObjectTable>, ids: string[], handleOf: Map<number, string>): ClusterJson {
  const ev = c.evidence as (PairEvidence & { kind: ObjectKind })[];
  const objects = new Map<string, { kind: ObjectKind; object: string; pairs: number }>();
  let coActions = 0;
  let expected = 0;
  let firstAt = Infinity;
  let lastAt = -Infinity;
  const kinds = new Set<ObjectKind>();
  for (const e of ev) {
    kinds.add(e.kind);
    coActions += e.observed;
    expected += e.expected;
    firstAt = Math.min(firstAt, e.edge.firstAt);
    lastAt = Math.max(lastAt, e.edge.lastAt);
    const labels = tables.get(e.kind)?.labels ?? [];
    for (const o of e.edge.sample) {
      const label = labels[o] ?? String(o);
      const key = `${e.kind}\u0000${label}`;
      const cur = objects.get(key) ?? { kind: e.kind, object: label, pairs: 0 };
      cur.pairs++;
      objects.set(key, cur);
    }
  }
  const lift = expected > 0 ? coActions / expected : Infinity;
  const top = [...objects.values()].sort((a, b) => b.pairs - a.pairs).slice(0, 10);
  const why =
    `${c.members.length} accounts, ${ev.length} pairs that each co-acted on ≥ ${test.minObjects} distinct objects within the window ` +
    `(${[...kinds].map((k) => OBJECT_TITLES[k]).join('; ')}): ${coActions} co-actions where the accounts' activity and the objects' popularity alone would give ${expected.toFixed(1)}` +
    ` (${Number.isFinite(lift) ? lift.toFixed(0) : '∞'}×); each pair passes a Poisson test at ${test.alpha * 100}% after Bonferroni correction.`;
  return {
    id: c.id,
    method: c.method,
    accounts: c.members.map((m) => ids[m]!),
    handles: c.members.map((m) => handleOf.get(m) ?? ''),
    kinds: [...kinds],
    pairs: ev.length,
    coActions,
    expected: round(expected),
    lift: Number.isFinite(lift) ? Math.round(lift * 10) / 10 : 1e9,
    objects: top,
    firstAt: Number.isFinite(firstAt) ? firstAt : 0,
    lastAt: Number.isFinite(lastAt) ? lastAt : 0,
    why,
  };
}

function markerJson(m: Marker, index: MarkerIndex, set: PostSet, cascades: Map<string, Cascade>, itemsOfPost: Map<number, number[]>, handleOf: Map<number, string>, earliestN: number, cascadesN: number): MarkerJson {
  let hits: number[] = [];
  if (m.kind === 'hashtag') hits = [...(index.tags.get(m.tag) ?? [])];
  else if (m.kind === 'url') {
    for (const [u, list] of index.urls) if (u === m.url || u.startsWith(m.url + '/') || u.startsWith(m.url + '?')) hits.push(...list);
    hits = [...new Set(hits)];
  } else
    set.posts.forEach((p, i) => {
      if (matches(m, p, itemsOfPost.get(i))) hits.push(i);
    });
  hits.sort((a, b) => set.posts[a]!.at - set.posts[b]!.at || a - b);
  const seen = new Set<number>();
  const earliest: EarliestPost[] = [];
  for (const i of hits) {
    const a = set.accountOf[i]!;
    if (seen.has(a)) continue;
    seen.add(a);
    if (earliest.length < earliestN) {
      const p = set.posts[i]!;
      const handle = handleOf.get(a);
      earliest.push({ postId: p.id, account: p.account, ...(handle ? { handle } : {}), at: p.at });
    }
  }
  for (const i of hits) seen.add(set.accountOf[i]!);
  const roots = new Map<string, number>();
  for (const i of hits) {
    const r = rootOf(set, i);
    roots.set(r, (roots.get(r) ?? 0) + 1);
  }
  const markerCascades = [...roots.keys()]
    .map((r) => cascades.get(r))
    .filter((c): c is Cascade => !!c && c.reposts + c.quotes + c.replies > 0);
  const topCascades = largestCascades(markerCascades, cascadesN);
  const items = new Set<number>();
  for (const i of hits) for (const it of itemsOfPost.get(i) ?? []) items.add(it);
  return { marker: m.label, kind: m.kind, posts: hits.length, accounts: seen.size, earliest, perMinute: perMinute(hits.map((i) => set.posts[i]!.at)), topCascades, items: [...items].sort((a, b) => a - b) };
}

export { OBJECT_KINDS };
