import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** The folder holding package.json, found upward from this module (works from src/ and from dist/src/). */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return from;
    dir = up;
  }
}

export function defaultWebRoot(): string {
  return join(packageRoot(), 'web', 'dist');
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>tamis</title>
<p>The web app is not built yet. Run <code>npm run build:web</code>, then reload. The JSON API under <code>/api/</code> works already.</p>`;

/** Serves the built web app (security headers come from the global hook). */
export async function installWebApp(app: FastifyInstance, webRoot: string): Promise<void> {
  if (!existsSync(join(webRoot, 'index.html'))) {
    app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT));
    return;
  }
  await app.register(fastifyStatic, { root: webRoot, index: ['index.html'], wildcard: true, serveDotFiles: false });
}
