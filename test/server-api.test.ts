import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server/app.js';
import { EMAIL_HTML_CSP } from '../src/server/security-headers.js';
import { ELYSEE, buildFixtureCase, type FixtureIds } from './server-fixture.js';

let dir: string;
let web: string;
let app: FastifyInstance;
let ids: FixtureIds;
const HOST = { host: '127.0.0.1:8080' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tamis-server-'));
  web = join(dir, 'web');
  mkdirSync(web);
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>tamis test</title>');
  const built = await buildFixtureCase(join(dir, 'case'));
  ids = built.ids;
  built.kase.close();
  app = await buildServer({ caseDir: join(dir, 'case'), host: '127.0.0.1', webRoot: web });
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string) => app.inject({ method: 'GET', url, headers: HOST });

describe('JSON API', () => {
  it('summarises the case in /api/overview', async () => {
    const res = await get('/api/overview');
    expect(res.statusCode).toBe(200);
    const o = res.json();
    expect(o.verdicts).toEqual({ verified: 1, tampered: 1, suspicious: 2, consistent: 2 });
    const marche = o.coverage.find((c: { domain: string; month: string }) => c.domain === 'en-marche.fr' && c.month === '2017-03');
    expect(marche).toMatchObject({ total: 2, verified: 1, tampered: 1, unsigned: 0 });
    const evil = o.coverage.find((c: { domain: string }) => c.domain === 'evil.example');
    expect(evil).toMatchObject({ month: '2017-04', unsigned: 1, total: 1 });
    expect(o.topFindings.map((f: { check: string }) => f.check).sort()).toEqual(['dkim.body-hash', 'dkim.signature', 'doc.editor-name', 'received.order']);
    expect(o.timeline.map((m: { month: string; total: number }) => [m.month, m.total])).toEqual([
      ['2017-03', 3],
      ['2017-04', 2],
    ]);
  });

  it('searches with snippets and facets, and explains a bad query with 400', async () => {
    const res = await get(`/api/search?q=${encodeURIComponent('élysée')}&sort=date`);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.total).toBe(2);
    expect(r.hits[0].snippet).toContain('<mark>');
    expect(r.facets.verdict.map((v: { value: string }) => v.value).sort()).toEqual(['tampered', 'verified']);
    const bad = await get('/api/search?q=verdict:maybe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/Unknown verdict "maybe"/);
    expect((await get('/api/search?sort=sideways')).statusCode).toBe(400);
  });

  it('returns an item with occurrences, findings, headers, body and attachments', async () => {
    const res = await get(`/api/items/${ids.elysee}`);
    expect(res.statusCode).toBe(200);
    const it = res.json();
    expect(it.title).toBe("Réunion à l'Élysée");
    expect(it.occurrences.map((o: { path: string }) => o.path)).toEqual(['dump/alice/inbox/1.eml', 'dump/bob/archive.zip!inbox/1.eml']);
    expect(it.findings[0]).toMatchObject({ check: 'dkim.signature', proof: 'proves' });
    expect(it.email.text).toContain("La réunion à l'Élysée est confirmée");
    expect(it.email.rawHeaders).toMatch(/^From: Alice Martin/);
    expect(it.email.headers.find((h: { name: string }) => h.name === 'Message-ID').value).toBe('<elysee-1@en-marche.fr>');
    expect(it.email.headers.find((h: { name: string }) => h.name === 'Subject').value).toBe("Réunion à l'Élysée");
    expect(it.email.rawHeaders).toContain("Subject: =?UTF-8?Q?R=C3=A9union_=C3=A0_l'=C3=89lys=C3=A9e?=");
    expect(it.email.attachments).toEqual([{ filename: 'programme.txt', mimeType: 'text/plain', size: expect.any(Number) }]);
    expect(it.children).toEqual([expect.objectContaining({ id: ids.attachment, name: 'programme.txt', children: [] })]);
    expect(it.metadata.dkim[0]).toMatchObject({ d: 'en-marche.fr', keyBits: 2048 });
    const child = (await get(`/api/items/${ids.attachment}`)).json();
    expect(child.occurrences[0].parent).toMatchObject({ id: ids.elysee, title: "Réunion à l'Élysée" });
  });

  it('rejects non-numeric ids and reports unknown ones', async () => {
    expect((await get('/api/items/..%2F..%2Fetc%2Fpasswd/raw')).statusCode).toBe(400);
    expect((await get('/api/items/abc')).statusCode).toBe(400);
    const missing = await get('/api/items/9999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe('No item 9999 in this case.');
  });

  it('serves the original bytes as a download with their hash', async () => {
    const res = await get(`/api/items/${ids.elysee}/raw`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(ELYSEE)).toBe(true);
    const sha = createHash('sha256').update(ELYSEE).digest('hex');
    expect(res.headers['x-content-sha256']).toBe(sha);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${sha}.eml"`);
    expect(res.headers['content-type']).toBe('application/octet-stream');
  });

  it('serves an HTML body only under the locked-down policy', async () => {
    const res = await get(`/api/items/${ids.hostile}/html`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBe(EMAIL_HTML_CSP);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain('sandbox');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toContain('hostile-body');
    expect((await get(`/api/items/${ids.reply}/html`)).statusCode).toBe(404);
  });

  it('diffs two items line by line and field by field', async () => {
    const res = await get(`/api/compare?a=${ids.elysee}&b=${ids.forged}`);
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.lines.filter((l: { op: string }) => l.op === 'del').map((l: { text: string }) => l.text)).toEqual([
      'Le budget prévu est de 12 000 euros.',
    ]);
    expect(d.lines.filter((l: { op: string }) => l.op === 'add').map((l: { text: string }) => l.text)).toEqual([
      'Le budget prévu est de 950 000 euros, en liquide.',
    ]);
    expect(d.metadata.find((m: { key: string }) => m.key === 'cc')).toMatchObject({ same: false });
    expect(d.metadata.find((m: { key: string }) => m.key === 'subject')).toMatchObject({ same: true });
  });

  it('draws who wrote to whom, filtered by verdict', async () => {
    const all = (await get('/api/graph')).json();
    expect(all.edges).toContainEqual({ source: 'alice.martin@en-marche.fr', target: 'bob@example.org', weight: 2 });
    expect(all.edges).toContainEqual({ source: 'mallory@evil.example', target: 'bob@example.org', weight: 1 });
    const verified = (await get('/api/graph?verdict=verified')).json();
    expect(verified.edges).toEqual([
      { source: 'alice.martin@en-marche.fr', target: 'bob@example.org', weight: 1 },
      { source: 'alice.martin@en-marche.fr', target: 'chloe@en-marche.fr', weight: 1 },
    ]);
    expect((await get('/api/graph?from=2017-04')).json().emails).toBe(2);
    expect((await get('/api/graph?verdict=maybe')).statusCode).toBe(400);
  });

  it('groups a reply with the message it answers', async () => {
    const t = (await get(`/api/threads/${ids.reply}`)).json();
    expect(t.messages.map((m: { id: number; depth: number }) => [m.id, m.depth])).toEqual([
      [ids.elysee, 0],
      [ids.forged, 0],
      [ids.reply, 1],
    ]);
    const list = (await get('/api/threads')).json();
    expect(list.threads).toEqual([expect.objectContaining({ key: '<elysee-1@en-marche.fr>', messages: 3, firstItem: ids.elysee })]);
  });

  it('keeps tags and notes in the case and exports them as CSV', async () => {
    const post = await app.inject({ method: 'POST', url: `/api/items/${ids.forged}/tags`, headers: HOST, payload: { tag: '  Faux  Document ' } });
    expect(post.json()).toEqual({ tags: ['faux document'] });
    await app.inject({ method: 'POST', url: `/api/items/${ids.forged}/tags`, headers: HOST, payload: { tag: '=cmd|calc' } });
    const note = await app.inject({ method: 'PUT', url: `/api/items/${ids.forged}/note`, headers: HOST, payload: { note: 'Montant modifié, "voir" l’original.' } });
    expect(note.json()).toEqual({ note: 'Montant modifié, "voir" l’original.' });
    expect((await get(`/api/items/${ids.forged}`)).json()).toMatchObject({ tags: ['=cmd|calc', 'faux document'], note: 'Montant modifié, "voir" l’original.' });
    const csv = await get('/api/tags.csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.split('\r\n')[1]).toMatch(new RegExp(`^${ids.forged},[0-9a-f]{64},email,tampered,Réunion à l'Élysée,'=cmd\\|calc; faux document,"Montant modifié, ""voir"" l’original."$`));
    const del = await app.inject({ method: 'DELETE', url: `/api/items/${ids.forged}/tags/${encodeURIComponent('=cmd|calc')}`, headers: HOST });
    expect(del.json()).toEqual({ tags: ['faux document'] });
    expect((await app.inject({ method: 'POST', url: `/api/items/${ids.forged}/tags`, headers: HOST, payload: { tag: '   ' } })).statusCode).toBe(400);
  });

  it('refuses changes asked by another site, and hosts other than loopback', async () => {
    const csrf = await app.inject({
      method: 'POST',
      url: `/api/items/${ids.forged}/tags`,
      headers: { ...HOST, origin: 'http://attacker.example' },
      payload: { tag: 'x' },
    });
    expect(csrf.statusCode).toBe(403);
    const sameOrigin = await app.inject({
      method: 'POST',
      url: `/api/items/${ids.forged}/tags`,
      headers: { ...HOST, origin: 'http://127.0.0.1:8080' },
      payload: { tag: 'ok' },
    });
    expect(sameOrigin.statusCode).toBe(200);
    const rebound = await app.inject({ method: 'GET', url: '/api/overview', headers: { host: 'attacker.example:8080' } });
    expect(rebound.statusCode).toBe(403);
  });

  it('serves the web app under a strict policy', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('tamis test');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
  });
});

describe('access token', () => {
  let shared: FastifyInstance;
  beforeAll(async () => {
    shared = await buildServer({ caseDir: join(dir, 'case'), host: '0.0.0.0', token: 's3cret-token', webRoot: web });
  });
  afterAll(async () => {
    await shared.close();
  });

  it('is required to bind beyond loopback', async () => {
    await expect(buildServer({ caseDir: join(dir, 'case'), host: '0.0.0.0' })).rejects.toThrow(/needs an access token/);
  });

  it('is checked on every request, by header, query or cookie', async () => {
    const h = { host: '10.0.0.5:8080' };
    expect((await shared.inject({ method: 'GET', url: '/api/overview', headers: h })).statusCode).toBe(401);
    expect((await shared.inject({ method: 'GET', url: '/api/overview?token=wrong', headers: h })).statusCode).toBe(401);
    expect((await shared.inject({ method: 'GET', url: '/', headers: h })).statusCode).toBe(401);
    expect(
      (await shared.inject({ method: 'GET', url: '/api/overview', headers: { ...h, authorization: 'Bearer s3cret-token' } })).statusCode,
    ).toBe(200);
    const viaQuery = await shared.inject({ method: 'GET', url: '/?token=s3cret-token', headers: h });
    expect(viaQuery.statusCode).toBe(200);
    const cookie = String(viaQuery.headers['set-cookie']);
    expect(cookie).toMatch(/^tamis_token=s3cret-token; HttpOnly; SameSite=Strict; Path=\//);
    const viaCookie = await shared.inject({ method: 'GET', url: '/api/overview', headers: { ...h, cookie: 'tamis_token=s3cret-token' } });
    expect(viaCookie.statusCode).toBe(200);
  });
});

describe('unbuilt web app', () => {
  it('says how to build it', async () => {
    const bare = await buildServer({ caseDir: join(dir, 'case'), host: '127.0.0.1', webRoot: join(dir, 'nowhere') });
    const res = await bare.inject({ method: 'GET', url: '/', headers: HOST });
    expect(res.body).toContain('npm run build:web');
    await bare.close();
  });
});
