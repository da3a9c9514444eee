import type { FastifyPluginAsync } from 'fastify';
import type { Case } from '../../store/case.js';
import { searchCase } from '../../search/search.js';

export const searchRoutes: FastifyPluginAsync<{ kase: Case; refresh: () => Promise<void> }> = async (app, { kase, refresh }) => {
  app.get<{ Querystring: { q?: string; sort?: 'relevance' | 'date'; page?: number; pageSize?: number } }>(
    '/api/search',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            q: { type: 'string', maxLength: 2000 },
            sort: { type: 'string', enum: ['relevance', 'date'] },
            page: { type: 'integer', minimum: 1, maximum: 100000 },
            pageSize: { type: 'integer', minimum: 1, maximum: 200 },
          },
        },
      },
    },
    async (req) => {
      await refresh();
      return searchCase(kase.db, {
        q: req.query.q ?? '',
        sort: req.query.sort ?? 'relevance',
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      });
    },
  );
};
