import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { Case } from '../store/case.js';
import { indexCase } from '../search/index.js';
import { generateToken, installAccessControl, isLoopback } from './access.js';
import { installSecurityHeaders } from './security-headers.js';
import { defaultWebRoot, installWebApp } from './static.js';
import { annotationRoutes } from './routes/annotations.js';
import { graphRoutes } from './routes/graph.js';
import { itemRoutes } from './routes/items.js';
import { overviewRoutes } from './routes/overview.js';
import { searchRoutes } from './routes/search.js';
import { threadRoutes } from './routes/threads.js';
import { domainRoutes } from './routes/domains.js';
import { spreadRoutes } from './routes/spread.js';
import { reportRoutes } from './routes/report.js';
import { localPathRedactor, redactJson } from '../report/public-paths.js';
import type { Json } from '../model.js';

export interface ServerOptions {
  caseDir: string;
  /** Required when `host` is not a loopback address. */
  token?: string;
  host: string;
  /** Built web app to serve; defaults to the package's web/dist. */
  webRoot?: string;
  logger?: boolean;
  /** Items indexed for search at start-up, of those needing it (a first serve of a large case takes a while). */
  onIndexProgress?: (done: number, total: number) => void;
}

/** Minimum time between two incremental re-indexing passes triggered by requests. */
const REFRESH_EVERY_MS = 30_000;

/** Errors carrying an HTTP status of their own (bad query, unknown item) keep it; others are 500. */
function statusOf(err: FastifyError | (Error & { status?: number })): number {
  if ('validation' in err && err.validation) return 400;
  if ('statusCode' in err && typeof err.statusCode === 'number') return err.statusCode;
  if ('status' in err && typeof err.status === 'number') return err.status;
  return 500;
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  if (!isLoopback(opts.host) && !opts.token) {
    throw new Error(`Serving on ${opts.host} (reachable from other machines) needs an access token: pass --token, or let \`tamis serve\` generate one.`);
  }
  const kase = await Case.openExisting(opts.caseDir);
  await indexCase(kase, opts.onIndexProgress ? { onProgress: opts.onIndexProgress } : {});
  let lastRefresh = Date.now();
  const refresh = async (): Promise<void> => {
    if (Date.now() - lastRefresh < REFRESH_EVERY_MS) return;
    lastRefresh = Date.now();
    await indexCase(kase);
  };

  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 1_000_000 });
  app.addHook('onClose', async () => kase.close());
  installSecurityHeaders(app);
  installAccessControl(app, opts.token);
  // Answers get copied into articles and shared: local paths of this machine are named as in reports.
  app.addHook('preSerialization', async (_req, _reply, payload: unknown) =>
    payload !== null && typeof payload === 'object' ? redactJson(payload as Json, localPathRedactor(kase)) : payload,
  );
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = statusOf(err);
    if (status >= 500) req.log.error(err);
    void reply.code(status).send({ error: status >= 500 ? `Internal error while answering ${req.url}: ${err.message}` : err.message });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: `Nothing at ${req.method} ${req.url.split('?')[0] ?? ''}.` });
  });
  await app.register(overviewRoutes, { kase, refresh });
  await app.register(searchRoutes, { kase, refresh });
  await app.register(itemRoutes, { kase });
  await app.register(annotationRoutes, { kase });
  await app.register(graphRoutes, { kase });
  await app.register(threadRoutes, { kase });
  await app.register(domainRoutes, { kase });
  await app.register(spreadRoutes, { kase });
  await app.register(reportRoutes, { kase });
  await installWebApp(app, opts.webRoot ?? defaultWebRoot());
  return app;
}

/**
 * `tamis serve`: opens the case, listens and prints the URL. Loopback by default; any other address
 * gets an access token (generated when none is given), printed once in the URL.
 */
export async function serve(opts: {
  caseDir: string;
  port?: number;
  host?: string;
  token?: string;
  print?: (line: string) => void;
  onIndexProgress?: (done: number, total: number) => void;
}): Promise<{ app: FastifyInstance; url: string; token?: string }> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? (isLoopback(host) ? undefined : generateToken());
  const app = await buildServer({
    caseDir: opts.caseDir,
    host,
    ...(token ? { token } : {}),
    ...(opts.onIndexProgress ? { onIndexProgress: opts.onIndexProgress } : {}),
  });
  await app.listen({ host, port: opts.port ?? 8080 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 8080);
  const shown = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shown}:${port}/${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  (opts.print ?? console.log)(`tamis workbench for ${opts.caseDir}: ${url}`);
  if (token && !opts.token) (opts.print ?? console.log)('An access token was generated for this session; share the URL only with people who may see the case.');
  return { app, url, ...(token ? { token } : {}) };
}
