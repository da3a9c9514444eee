// The report and the evidence bundle, as downloads for the workbench's Report page: the same files
// `tamis report` and `tamis export` write, so what an editor gets from the browser is what the CLI gives.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { pack } from 'tar-stream';
import type { Case } from '../../store/case.js';
import { buildReport } from '../../report/from-case.js';
import { renderCsv, renderHtml, renderJson, renderMarkdown } from '../../report/index.js';
import { writeBundle } from '../../report/bundle.js';
import { searchCase } from '../../search/search.js';
import { EMAIL_HTML_CSP } from '../security-headers.js';

const FORMATS = {
  html: { type: 'text/html; charset=utf-8', file: 'report.html', render: renderHtml },
  json: { type: 'application/json; charset=utf-8', file: 'report.json', render: renderJson },
  md: { type: 'text/markdown; charset=utf-8', file: 'report.md', render: renderMarkdown },
  csv: { type: 'text/csv; charset=utf-8', file: 'report.csv', render: renderCsv },
} as const;

/** A bundle of more items than this is a case, not a selection: export it with the CLI. */
export const MAX_BUNDLE_ITEMS = 1000;

/** Ids of the items a search query selects (all pages), in the search's order. */
function selectionOf(kase: Case, q: string): number[] {
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const r = searchCase(kase.db, { q, sort: 'date', page, pageSize: 200, facets: false });
    if (r.total > MAX_BUNDLE_ITEMS) {
      throw Object.assign(
        new Error(`The selection holds ${r.total} items; a bundle from the workbench holds at most ${MAX_BUNDLE_ITEMS}. Narrow the search, or use \`tamis export\`.`),
        { status: 400 },
      );
    }
    ids.push(...r.hits.map((h) => h.id));
    if (r.hits.length === 0 || ids.length >= r.total) return ids;
  }
}

/** Every file under dir, as paths relative to it, sorted so two downloads of a selection are identical. */
async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(join(dir, prefix), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await filesUnder(dir, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

export const reportRoutes: FastifyPluginAsync<{ kase: Case }> = async (app, { kase }) => {
  app.get<{ Querystring: { format?: keyof typeof FORMATS; download?: string } }>(
    '/api/report',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { format: { type: 'string', enum: Object.keys(FORMATS) }, download: { type: 'string', enum: ['0', '1'] } },
        },
      },
    },
    async (req, reply) => {
      const f = FORMATS[req.query.format ?? 'html'];
      const text = f.render(buildReport(kase));
      // The HTML report is shown inside the workbench: no script runs in it, it loads nothing.
      if (req.query.format === undefined || req.query.format === 'html') void reply.header('content-security-policy', EMAIL_HTML_CSP);
      if (req.query.download === '1') void reply.header('content-disposition', `attachment; filename="${f.file}"`);
      return reply.type(f.type).send(text);
    },
  );

  app.get<{ Querystring: { q?: string; items?: string } }>(
    '/api/bundle',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { q: { type: 'string', maxLength: 2000 }, items: { type: 'string', pattern: '^\\d+(,\\d+)*$', maxLength: 20000 } },
        },
      },
    },
    async (req, reply) => {
      const ids = req.query.items ? req.query.items.split(',').map(Number) : selectionOf(kase, req.query.q ?? '');
      if (ids.length === 0) {
        throw Object.assign(new Error('The selection is empty: search for the items to export first.'), { status: 400 });
      }
      const tmp = await mkdtemp(join(tmpdir(), 'tamis-bundle-'));
      try {
        const dir = join(tmp, 'tamis-bundle');
        await writeBundle(kase, ids.map(String), dir);
        // A tar (not zip): `tar -xf` everywhere, and tar-stream is already a dependency.
        const tar = pack();
        const chunks: Buffer[] = [];
        tar.on('data', (c: unknown) => {
          if (Buffer.isBuffer(c)) chunks.push(c);
        });
        const ended = new Promise<void>((res, rej) => {
          tar.on('end', res);
          tar.on('error', rej);
        });
        for (const rel of await filesUnder(dir)) {
          tar.entry({ name: `tamis-bundle/${rel}`, mtime: new Date(0), mode: 0o644 }, await readFile(join(dir, rel)));
        }
        tar.finalize();
        await ended;
        return reply
          .type('application/x-tar')
          .header('content-disposition', 'attachment; filename="tamis-bundle.tar"')
          .send(Buffer.concat(chunks));
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    },
  );
};
