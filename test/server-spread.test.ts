// The workbench's spread API: empty before `tamis spread --case`, then the stored analysis (markers
// with their per-minute curve and first posters, clusters, the network's significant pairs,
// accounts with signals and posts) and, per item, the posts that link to it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server/app.js';
import { buildFixtureCase, type FixtureIds } from './server-fixture.js';
import { tamis } from './helpers/cli.js';
import { MIN, T0, trioCampaign, v1Tweet } from './helpers/spread-posts.js';

let dir: string;
let app: FastifyInstance;
let ids: FixtureIds;
const HOST = { host: '127.0.0.1:8080' };
const get = (url: string) => app.inject({ method: 'GET', url, headers: HOST });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tamis-server-spread-'));
  const built = await buildFixtureCase(join(dir, 'case'));
  ids = built.ids;
  built.kase.close();
  app = await buildServer({ caseDir: join(dir, 'case'), host: '127.0.0.1', webRoot: join(dir, 'web') });
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('/api/spread', () => {
  it('says no analysis ran before `tamis spread --case`', async () => {
    const res = await get('/api/spread');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ran: false });
    expect((await get(`/api/spread/item/${ids.doc}`)).json()).toEqual({ itemId: ids.doc, posts: 0, accounts: 0, linked: [] });
  });

  it('serves the stored analysis and the posts linking to an item, read fresh after a run', async () => {
    const leak = [v1Tweet(900001, 'leaker', T0 + 5 * MIN, 'Voici Rapport.docx #Leak'), v1Tweet(900002, 'relay', T0 + 6 * MIN, 'lisez rapport.docx #Leak')];
    writeFileSync(join(dir, 'posts.jsonl'), [...trioCampaign(), ...leak].join('\n') + '\n');
    const run = tamis(['spread', join(dir, 'posts.jsonl'), resolve('test/fixtures/spread/twitter-v1.jsonl'), '--case', join(dir, 'case'), '--marker', '#Leak', '--kind', 'repost', '--quiet']);
    expect(run.status, run.stderr).toBe(0);
    const s = (await get('/api/spread')).json();
    expect(s).toMatchObject({ ran: true, posts: 1024 + 2 + 4, coordination: { mode: 'qut', window: 60 } });
    expect(s.inputs).toBeUndefined();
    const leakMarker = s.markers[0];
    expect(leakMarker).toMatchObject({ marker: '#Leak', posts: 4, accounts: 4, items: [ids.doc] });
    expect(leakMarker.earliest.map((e: { account: string }) => e.account)).toEqual(['6253282', '111', 'leaker', 'relay']);
    expect(leakMarker.perMinute.counts.reduce((n: number, c: [number, number]) => n + c[1], 0)).toBe(4);
    expect(s.coordination.clusters.map((c: { accounts: string[] }) => [...c.accounts].sort())).toEqual([['trio_a', 'trio_b', 'trio_c']]);
    expect(s.network.edges).toHaveLength(3);
    expect(s.network.edges.every((e: { kind: string; weight: number }) => e.kind === 'repost' && e.weight >= 3)).toBe(true);
    const trio = s.accounts.find((a: { account: string }) => a.account === 'trio_a');
    expect(trio.clusters).toContain(s.coordination.clusters[0].id);
    expect(s.accountPosts.trio_a).toHaveLength(8);
    const links = (await get(`/api/spread/item/${ids.doc}`)).json();
    expect(links).toMatchObject({ itemId: ids.doc, posts: 2, accounts: 2, firstAt: T0 + 5 * MIN });
    expect(links.linked.map((p: { id: string; account: string; items: number[] }) => [p.id, p.account, p.items])).toEqual([
      ['900001', 'leaker', [ids.doc]],
      ['900002', 'relay', [ids.doc]],
    ]);
    expect((await get(`/api/spread/item/${ids.elysee}`)).json()).toMatchObject({ posts: 0, linked: [] });
  });
});
