import type { FastifyPluginAsync } from 'fastify';
import type { Case } from '../../store/case.js';
import { Annotations, MAX_NOTE_LENGTH, normaliseTag } from '../../store/annotations.js';
import { csvCell } from '../../report/escape.js';
import { itemOr404 } from './items.js';
import { titleOf } from '../item-view.js';

export class BadRequest extends Error {
  readonly status = 400;
}

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;

/** Tags and notes: the investigator's annotations, kept in the case database. */
export const annotationRoutes: FastifyPluginAsync<{ kase: Case }> = async (app, { kase }) => {
  const notes = new Annotations(kase.db);

  app.post<{ Params: { id: number }; Body: { tag: string } }>(
    '/api/items/:id/tags',
    { schema: { params: idParams, body: { type: 'object', required: ['tag'], properties: { tag: { type: 'string' } } } } },
    async (req) => {
      itemOr404(kase, req.params.id);
      const tag = normaliseTag(req.body.tag);
      if (!tag) throw new BadRequest('A tag must be 1 to 64 characters long.');
      notes.addTag(req.params.id, tag);
      return { tags: notes.tagsOf(req.params.id) };
    },
  );

  app.delete<{ Params: { id: number; tag: string } }>(
    '/api/items/:id/tags/:tag',
    { schema: { params: { type: 'object', required: ['id', 'tag'], properties: { id: { type: 'integer', minimum: 1 }, tag: { type: 'string' } } } } },
    async (req) => {
      itemOr404(kase, req.params.id);
      notes.removeTag(req.params.id, normaliseTag(req.params.tag) ?? '');
      return { tags: notes.tagsOf(req.params.id) };
    },
  );

  app.put<{ Params: { id: number }; Body: { note: string } }>(
    '/api/items/:id/note',
    {
      schema: {
        params: idParams,
        body: { type: 'object', required: ['note'], properties: { note: { type: 'string', maxLength: MAX_NOTE_LENGTH } } },
      },
    },
    async (req) => {
      itemOr404(kase, req.params.id);
      notes.setNote(req.params.id, req.body.note);
      return { note: notes.noteOf(req.params.id) };
    },
  );

  app.get('/api/tags', async () => ({ tags: notes.allTags() }));

  app.get('/api/tags.csv', async (_req, reply) => {
    const rows: (string | number)[][] = [['item_id', 'sha256', 'kind', 'verdict', 'title', 'tags', 'note']];
    for (const a of notes.all()) {
      const item = kase.item(a.itemId);
      if (!item) continue;
      rows.push([item.id, item.sha256, item.kind, item.verdict, titleOf(kase, item), a.tags.join('; '), a.note]);
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="tags.csv"')
      .send(rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n');
  });
};
