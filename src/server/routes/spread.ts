import type { FastifyPluginAsync } from 'fastify';
import type { Case } from '../../store/case.js';
import { loadSpreadResult } from '../../store/spread.js';

/**
 * The last `tamis spread --case` analysis (ran: false before one), and the posts linking to one
 * item. Read from the file on each request: a new analysis shows without restarting the server.
 */
export const spreadRoutes: FastifyPluginAsync<{ kase: Case }> = async (app, { kase }) => {
  app.get('/api/spread', async () => {
    const r = loadSpreadResult(kase);
    if (!r) return { ran: false };
    // The input files are the journalist's own folders: not for a shared screen.
    const { inputs: _inputs, ...rest } = r;
    return { ran: true, network: { edges: [], truncated: false }, ...rest };
  });
  app.get<{ Params: { id: string } }>('/api/spread/item/:id', async (req) => {
    const id = Number(req.params.id);
    const entry = loadSpreadResult(kase)?.items.find((i) => i.itemId === id);
    return entry ? { itemId: id, posts: entry.posts, accounts: entry.accounts, firstAt: entry.firstAt, linked: entry.linked ?? [] } : { itemId: id, posts: 0, accounts: 0, linked: [] };
  });
};
