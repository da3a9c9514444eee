import type { FastifyPluginAsync } from 'fastify';
import { VERDICTS } from '../../model.js';
import type { Case } from '../../store/case.js';
import { domainOf } from '../../search/addresses.js';

export interface GraphNode {
  id: string;
  domain: string | null;
  sent: number;
  received: number;
}
export interface GraphEdge {
  source: string;
  target: string;
  weight: number;
}

/** Who wrote to whom: one edge per sender→recipient pair, weighted by the number of emails. */
export function correspondenceGraph(
  kase: Case,
  opts: { verdict?: string; from?: string; to?: string; limit?: number },
): { nodes: GraphNode[]; edges: GraphEdge[]; emails: number } {
  const where = ["i.kind = 'email'", 'm.sender IS NOT NULL'];
  const params: string[] = [];
  if (opts.verdict) {
    where.push('i.verdict = ?');
    params.push(opts.verdict);
  }
  if (opts.from) {
    where.push('m.date >= ?');
    params.push(opts.from);
  }
  if (opts.to) {
    where.push('substr(m.date, 1, ?) <= ?');
    params.push(String(opts.to.length), opts.to);
  }
  const rows = kase.db
    .prepare(`SELECT m.sender, m.recipients FROM search_meta m JOIN items i ON i.id = m.item_id WHERE ${where.join(' AND ')}`)
    .all(...params) as { sender: string; recipients: string }[];
  const weights = new Map<string, number>();
  for (const r of rows) {
    for (const to of new Set(JSON.parse(r.recipients) as string[])) {
      const key = `${r.sender}\u0000${to}`;
      weights.set(key, (weights.get(key) ?? 0) + 1);
    }
  }
  const edges = [...weights.entries()]
    .map(([k, weight]) => {
      const [source = '', target = ''] = k.split('\u0000');
      return { source, target, weight };
    })
    .sort((a, b) => b.weight - a.weight || a.source.localeCompare(b.source) || a.target.localeCompare(b.target))
    .slice(0, opts.limit ?? 200);
  const nodes = new Map<string, GraphNode>();
  const node = (id: string) => {
    let n = nodes.get(id);
    if (!n) {
      n = { id, domain: domainOf(id), sent: 0, received: 0 };
      nodes.set(id, n);
    }
    return n;
  };
  for (const e of edges) {
    node(e.source).sent += e.weight;
    node(e.target).received += e.weight;
  }
  return { nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)), edges, emails: rows.length };
}

const DATE = '^\\d{4}(-\\d{2}(-\\d{2})?)?$';

export const graphRoutes: FastifyPluginAsync<{ kase: Case }> = async (app, { kase }) => {
  app.get<{ Querystring: { verdict?: string; from?: string; to?: string; limit?: number } }>(
    '/api/graph',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            verdict: { type: 'string', enum: [...VERDICTS] },
            from: { type: 'string', pattern: DATE },
            to: { type: 'string', pattern: DATE },
            limit: { type: 'integer', minimum: 1, maximum: 2000 },
          },
        },
      },
    },
    async (req) => correspondenceGraph(kase, req.query),
  );
};
