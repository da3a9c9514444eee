// Browser and web-app plumbing for the end-to-end tests: Debian's chromium driven by playwright-core.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Chromium's path, installing the Debian package when we are root and it is missing; null if impossible. */
export function findOrInstallChromium(): string | null {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() === 0) {
    try {
      execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'ignore', timeout: 300_000 });
    } catch {
      // no package manager or no network: reported by the caller as a skip
    }
  }
  return existsSync(CHROMIUM) ? CHROMIUM : null;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds web/dist when it is missing or older than its sources. */
export async function ensureWebBuilt(root: string): Promise<string> {
  const web = join(root, 'web');
  const index = join(web, 'dist', 'index.html');
  const stale =
    !existsSync(index) ||
    statSync(index).mtimeMs < Math.max(newestMtime(join(web, 'src')), statSync(join(web, 'index.html')).mtimeMs, statSync(join(web, 'vite.config.ts')).mtimeMs);
  if (stale) {
    const { build } = await import('vite');
    await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' });
  }
  return join(web, 'dist');
}

export async function launchBrowser(executablePath: string): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'tamis-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
  });
}

/** The workbench of a case on a free loopback port, and the origin to open. */
export async function serveCase(caseDir: string, webRoot: string): Promise<{ app: FastifyInstance; origin: string }> {
  const app = await buildServer({ caseDir, host: '127.0.0.1', webRoot });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  return { app, origin: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}
