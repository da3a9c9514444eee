import type { FastifyPluginAsync } from 'fastify';
import type { Case } from '../../store/case.js';
import { itemOr404 } from './items.js';

export interface ThreadMessage {
  id: number;
  title: string;
  sender: string | null;
  date: string | null;
  verdict: string;
  /** Reply depth, from In-Reply-To links inside the thread. */
  depth: number;
}

/** Messages sharing a thread key (first Reference, else In-Reply-To, else Message-ID), by date. */
export function threadOf(kase: Case, itemId: number): { key: string | null; messages: ThreadMessage[] } {
  const key = kase.db.prepare('SELECT thread_key FROM search_meta WHERE item_id = ?').pluck().get(itemId) as string | null | undefined;
  if (!key) {
    const item = kase.item(itemId);
    return { key: null, messages: item ? [{ id: item.id, title: '', sender: null, date: null, verdict: item.verdict, depth: 0 }] : [] };
  }
  const rows = kase.db
    .prepare(
      `SELECT i.id, m.title, m.sender, m.date, i.verdict, i.metadata FROM search_meta m JOIN items i ON i.id = m.item_id
       WHERE m.thread_key = ? ORDER BY m.date IS NULL, m.date, i.id LIMIT 1000`,
    )
    .all(key) as { id: number; title: string; sender: string | null; date: string | null; verdict: string; metadata: string }[];
  const depthByMessageId = new Map<string, number>();
  const messages = rows.map((r) => {
    const meta = JSON.parse(r.metadata) as { messageId?: unknown; inReplyTo?: unknown };
    const parent = typeof meta.inReplyTo === 'string' ? depthByMessageId.get(meta.inReplyTo.toLowerCase()) : undefined;
    const depth = parent === undefined ? 0 : parent + 1;
    if (typeof meta.messageId === 'string' && !depthByMessageId.has(meta.messageId.toLowerCase())) {
      depthByMessageId.set(meta.messageId.toLowerCase(), depth);
    }
    return { id: r.id, title: r.title, sender: r.sender, date: r.date, verdict: r.verdict, depth };
  });
  return { key, messages };
}

export const threadRoutes: FastifyPluginAsync<{ kase: Case }> = async (app, { kase }) => {
  app.get('/api/threads', async () => {
    const threads = kase.db
      .prepare(
        `SELECT thread_key AS key, count(*) AS messages, min(date) AS first, max(date) AS last,
                (SELECT m2.item_id FROM search_meta m2 WHERE m2.thread_key = m.thread_key ORDER BY m2.date, m2.item_id LIMIT 1) AS firstItem,
                (SELECT m2.title FROM search_meta m2 WHERE m2.thread_key = m.thread_key ORDER BY m2.date, m2.item_id LIMIT 1) AS title
         FROM search_meta m WHERE thread_key IS NOT NULL GROUP BY thread_key HAVING count(*) > 1
         ORDER BY last DESC LIMIT 500`,
      )
      .all();
    return { threads };
  });
  app.get<{ Params: { id: number } }>(
    '/api/threads/:id',
    { schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } } },
    async (req) => {
      itemOr404(kase, req.params.id);
      return threadOf(kase, req.params.id);
    },
  );
};
