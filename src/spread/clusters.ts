import { UndirectedGraph } from 'graphology';
import { createRequire } from 'node:module';

// A CommonJS module whose types declare an ES default export that does not exist at run time; required, and typed by hand to the part used.
type Louvain = (graph: UndirectedGraph, options: { getEdgeWeight: string; rng: () => number }) => Record<string, number>;
const louvain = createRequire(import.meta.url)('graphology-communities-louvain') as Louvain;
import type { PairEvidence } from './popularity.js';

export interface Cluster {
  id: string;
  method: 'component' | 'louvain';
  /** Account numbers. */
  members: number[];
  evidence: PairEvidence[];
}

/** Connected components of the significant pairs, biggest first. */
export function componentClusters(pairs: PairEvidence[]): Cluster[] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = parent.get(x) ?? x;
    while (r !== (parent.get(r) ?? r)) r = parent.get(r) ?? r;
    parent.set(x, r);
    return r;
  };
  const sig = pairs.filter((p) => p.significant);
  for (const p of sig) {
    const ra = find(p.edge.a);
    const rb = find(p.edge.b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  const groups = new Map<number, { members: Set<number>; evidence: PairEvidence[] }>();
  for (const p of sig) {
    const r = find(p.edge.a);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = { members: new Set(), evidence: [] }));
    g.members.add(p.edge.a);
    g.members.add(p.edge.b);
    g.evidence.push(p);
  }
  return [...groups.values()]
    .map((g) => ({ members: [...g.members].sort((a, b) => a - b), evidence: g.evidence }))
    .sort((x, y) => y.members.length - x.members.length || (x.members[0] ?? 0) - (y.members[0] ?? 0))
    .map((g, i) => ({ id: `c${i + 1}`, method: 'component' as const, ...g }));
}

/** Louvain communities (graphology-communities-louvain) of the significant pairs, weighted by co-acted objects; seeded so runs agree. */
export function louvainClusters(pairs: PairEvidence[]): Cluster[] {
  const sig = pairs.filter((p) => p.significant);
  const g = new UndirectedGraph();
  for (const p of sig) {
    const a = String(p.edge.a);
    const b = String(p.edge.b);
    g.mergeNode(a);
    g.mergeNode(b);
    g.mergeEdge(a, b, { weight: p.observed });
  }
  if (g.order === 0) return [];
  let seed = 42;
  const rng = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const community: Record<string, number> = louvain(g, { getEdgeWeight: 'weight', rng });
  const byCommunity = new Map<number, { members: number[]; evidence: PairEvidence[] }>();
  for (const [node, c] of Object.entries(community)) {
    let m = byCommunity.get(c);
    if (!m) byCommunity.set(c, (m = { members: [], evidence: [] }));
    m.members.push(Number(node));
  }
  for (const p of sig) {
    const ca = community[String(p.edge.a)];
    if (ca !== undefined && ca === community[String(p.edge.b)]) byCommunity.get(ca)?.evidence.push(p);
  }
  return [...byCommunity.values()]
    .filter((m) => m.members.length >= 2)
    .map((m) => ({ members: m.members.sort((a, b) => a - b), evidence: m.evidence }))
    .sort((x, y) => y.members.length - x.members.length || (x.members[0] ?? 0) - (y.members[0] ?? 0))
    .map((m, i) => ({ id: `l${i + 1}`, method: 'louvain' as const, ...m }));
}
