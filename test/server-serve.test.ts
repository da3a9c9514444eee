import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '../src/server/app.js';
import { buildFixtureCase } from './server-fixture.js';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tamis-serve-'));
  (await buildFixtureCase(join(dir, 'case'))).kase.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tamis serve', () => {
  it('listens on loopback, prints the URL and answers over real HTTP', async () => {
    const lines: string[] = [];
    const { app, url, token } = await serve({ caseDir: join(dir, 'case'), port: 0, print: (l) => lines.push(l) });
    try {
      expect(token).toBeUndefined();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(lines[0]).toContain(url);
      const res = await fetch(`${url}api/overview`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: number }).items).toBe(6);
    } finally {
      await app.close();
    }
  });

  it('generates and prints a token when bound beyond loopback, and demands it', async () => {
    const lines: string[] = [];
    const { app, url, token } = await serve({ caseDir: join(dir, 'case'), port: 0, host: '0.0.0.0', print: (l) => lines.push(l) });
    try {
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(url).toContain(`?token=${token}`);
      expect(lines.join('\n')).toContain('generated');
      const port = new URL(url).port;
      expect((await fetch(`http://127.0.0.1:${port}/api/overview`)).status).toBe(401);
      const ok = await fetch(`http://127.0.0.1:${port}/api/overview?token=${token}`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('set-cookie')).toContain('HttpOnly');
    } finally {
      await app.close();
    }
  });
});
