import { createRequire } from 'node:module';
import { MultiUndirectedGraph } from 'graphology';
import { csvCell } from '../report/escape.js';
import type { SpreadAnalysis } from './analyse.js';

// graphology-gexf is CommonJS; required and typed to the writer used.
type GexfWrite = (graph: MultiUndirectedGraph, options?: { pretty?: boolean; version?: '1.2' | '1.3' }) => string;
const gexf = createRequire(import.meta.url)('graphology-gexf') as { write: GexfWrite };

interface NodeRow {
  id: string;
  label: string;
  botLikeness: number;
  posts: number;
  perDay: number;
  cluster: string;
  community: string;
  signals: string;
}

/** Nodes: every account in an edge of any kind (significant or not), with its signals and clusters. */
function nodeRows(a: SpreadAnalysis): NodeRow[] {
  const inEdge = new Set<string>();
  for (const e of a.edges) {
    inEdge.add(e.source);
    inEdge.add(e.target);
  }
  const byId = new Map(a.result.accounts.map((x) => [x.account, x]));
  const postCount = new Map<string, number>();
  for (let i = 0; i < a.set.size; i++) {
    const id = a.set.accountIds[a.set.accountOf[i]!]!;
    postCount.set(id, (postCount.get(id) ?? 0) + 1);
  }
  return [...inEdge].sort().map((id) => {
    const acc = byId.get(id);
    return {
      id,
      label: acc?.handle ?? id,
      botLikeness: acc?.botLikeness ?? 0,
      posts: acc?.posts ?? postCount.get(id) ?? 0,
      perDay: acc?.perDay ?? 0,
      cluster: acc?.clusters.find((c) => c.startsWith('c')) ?? '',
      community: acc?.clusters.find((c) => c.startsWith('l')) ?? '',
      signals: (acc?.signals ?? []).map((s) => s.id).join(' '),
    };
  });
}

export function nodesCsv(a: SpreadAnalysis): string {
  const head = 'Id,Label,botLikeness,posts,perDay,cluster,community,signals';
  return [head, ...nodeRows(a).map((n) => [n.id, n.label, n.botLikeness, n.posts, n.perDay, n.cluster, n.community, n.signals].map(csvCell).join(','))].join('\r\n') + '\r\n';
}

/** Edges in Gephi's CSV shape (Source, Target, Type, Weight) with the co-action detail beside. */
export function edgesCsv(a: SpreadAnalysis): string {
  const head = 'Source,Target,Type,Weight,kind,weightAB,weightBA,objects,expected,significant';
  const rows = a.edges.map((e) => [e.source, e.target, 'Undirected', e.objects, e.kind, e.weightAB, e.weightBA, e.objects, e.expected, e.significant ? 'true' : 'false'].map(csvCell).join(','));
  return [head, ...rows].join('\r\n') + '\r\n';
}

function graphOf(a: SpreadAnalysis): MultiUndirectedGraph {
  const g = new MultiUndirectedGraph();
  for (const n of nodeRows(a)) g.addNode(n.id, { ...n });
  a.edges.forEach((e, i) => {
    g.addEdgeWithKey(`e${i}`, e.source, e.target, { kind: e.kind, weight: e.objects, weightAB: e.weightAB, weightBA: e.weightBA, expected: e.expected, significant: e.significant });
  });
  return g;
}

/** GEXF 1.3 through graphology-gexf's writer (Gephi reads it natively). */
export function toGexf(a: SpreadAnalysis): string {
  return gexf.write(graphOf(a), { pretty: true, version: '1.3' });
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * GraphML. Written by hand: graphology-graphml ships only a parser (its writer was never released),
 * and GraphML's node/edge/key/data shape is a few lines.
 */
export function toGraphml(a: SpreadAnalysis): string {
  const g = graphOf(a);
  const nodeKeys: [string, string][] = [['label', 'string'], ['botLikeness', 'double'], ['posts', 'int'], ['perDay', 'double'], ['cluster', 'string'], ['community', 'string'], ['signals', 'string']];
  const edgeKeys: [string, string][] = [['kind', 'string'], ['weight', 'double'], ['weightAB', 'int'], ['weightBA', 'int'], ['expected', 'double'], ['significant', 'boolean']];
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...nodeKeys.map(([k, t]) => `  <key id="n_${k}" for="node" attr.name="${k}" attr.type="${t}"/>`),
    ...edgeKeys.map(([k, t]) => `  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="${t}"/>`),
    '  <graph id="coordination" edgedefault="undirected">',
  ];
  g.forEachNode((id, attrs) => {
    out.push(`    <node id="${xml(id)}">${nodeKeys.map(([k]) => `<data key="n_${k}">${xml(String(attrs[k] ?? ''))}</data>`).join('')}</node>`);
  });
  g.forEachEdge((key, attrs, source, target) => {
    out.push(`    <edge id="${xml(key)}" source="${xml(source)}" target="${xml(target)}">${edgeKeys.map(([k]) => `<data key="e_${k}">${xml(String(attrs[k] ?? ''))}</data>`).join('')}</edge>`);
  });
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}
