import type { FastifyPluginAsync } from 'fastify';
import { diffLines } from 'diff';
import type { Json } from '../../model.js';
import type { Case, ItemRow } from '../../store/case.js';
import { EMAIL_HTML_CSP } from '../security-headers.js';
import { emailParts, itemView, summaryOf, textOf } from '../item-view.js';
import { inertEmailHtml } from '../email-html.js';
import { asCells, diffCells } from '../cell-diff.js';

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1 } },
} as const;

const EXTENSIONS: Record<string, string> = { email: 'eml', document: 'bin', image: 'bin', archive: 'bin', other: 'bin' };

export class NotFound extends Error {
  readonly status = 404;
}

export function itemOr404(kase: Case, id: number): ItemRow {
  const item = kase.item(id);
  if (!item) throw new NotFound(`No item ${id} in this case.`);
  return item;
}

/** Item detail, its HTML body (sandboxed), its original bytes, and line diffs between two items. */
export const itemRoutes: FastifyPluginAsync<{ kase: Case }> = async (app, { kase }) => {
  app.get<{ Params: { id: number } }>('/api/items/:id', { schema: { params: idParams } }, async (req) =>
    itemView(kase, itemOr404(kase, req.params.id)),
  );

  app.get<{ Params: { id: number } }>('/api/items/:id/html', { schema: { params: idParams } }, async (req, reply) => {
    const parts = await emailParts(kase, itemOr404(kase, req.params.id));
    if (!parts?.html) throw new NotFound(`Item ${req.params.id} has no HTML body.`);
    return reply
      .header('content-security-policy', EMAIL_HTML_CSP)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(inertEmailHtml(parts.html));
  });

  // Only an integer id reaches this handler; the file read is the content-addressed path of a known hash.
  app.get<{ Params: { id: number } }>('/api/items/:id/raw', { schema: { params: idParams } }, async (req, reply) => {
    const item = itemOr404(kase, req.params.id);
    const ext = item.mediaType === 'message/rfc822' ? 'eml' : (EXTENSIONS[item.kind] ?? 'bin');
    return reply
      .header('x-content-sha256', item.sha256)
      .header('content-disposition', `attachment; filename="${item.sha256}.${ext}"`)
      .header('content-length', String(item.size))
      .type('application/octet-stream')
      .send(kase.blobs.stream(item.sha256));
  });

  app.get<{ Querystring: { a: number; b: number } }>(
    '/api/compare',
    {
      schema: {
        querystring: {
          type: 'object',
          required: ['a', 'b'],
          properties: { a: { type: 'integer', minimum: 1 }, b: { type: 'integer', minimum: 1 } },
        },
      },
    },
    async (req) => {
      const a = itemOr404(kase, req.query.a);
      const b = itemOr404(kase, req.query.b);
      // Extracted document text lives in the texts table (Case.textOf), no longer in metadata.text.
      const textFor = async (it: ItemRow): Promise<string> =>
        (it.kind === 'email' ? null : kase.textOf(it.id)?.text) ?? (await textOf(kase, it));
      const [ta, tb] = await Promise.all([textFor(a), textFor(b)]);
      const lines: { op: 'same' | 'add' | 'del'; text: string }[] = [];
      for (const change of diffLines(ta.replace(/\r\n/g, '\n'), tb.replace(/\r\n/g, '\n'))) {
        const op = change.added ? 'add' : change.removed ? 'del' : 'same';
        for (const text of change.value.replace(/\n$/, '').split('\n')) lines.push({ op, text });
      }
      // Spreadsheets are also compared cell by cell, when both sides have cells.
      const ca = asCells(kase.textOf(a.id)?.cells);
      const cb = asCells(kase.textOf(b.id)?.cells);
      const cells = ca && cb ? { cells: diffCells(ca, cb) } : {};
      return { a: summaryOf(kase, a), b: summaryOf(kase, b), lines, metadata: metadataDiff(a.metadata, b.metadata), ...cells };
    },
  );
};

/** Field-by-field comparison of two items' metadata (bulky fields left out). */
function metadataDiff(a: { [k: string]: Json }, b: { [k: string]: Json }): { key: string; a: string; b: string; same: boolean }[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== 'text' && k !== 'dkim').sort();
  return keys.map((key) => {
    const va = a[key] === undefined ? '' : JSON.stringify(a[key]);
    const vb = b[key] === undefined ? '' : JSON.stringify(b[key]);
    return { key, a: va, b: vb, same: va === vb };
  });
}
