// `tamis domains` on the bundled sample dump, through the CLI: every planted look-alike is found
// with the technique it was planted for, staff replies and forwards are shown, the legitimate
// domains of the dump (own, partners, a newsletter's tracker and CDN, a short unrelated domain)
// stay quiet, and the carrying emails get their findings.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { buildServer } from '../src/server/app.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSampleDump, PLANTED_LOOKALIKES } from '../scripts/make-sample-dump.js';
import type { DomainScan } from '../src/domains/scan.js';
import { tamis } from './helpers/cli.js';

describe('tamis domains on the sample dump', () => {
  const base = mkdtempSync(join(tmpdir(), 'tamis-domains-'));
  const caseDir = join(base, 'case');
  const protect = ['--protect', 'campaign.example', 'office.com', 'free.fr', 'box.com', '--owner', 'campaign.example=lists.example,bulk.example'];

  it('finds every planted look-alike and none of the legitimate domains', async () => {
    await makeSampleDump(join(base, 'dump'));
    const ingest = tamis(['ingest', 'dump', '--case', caseDir, '--keys', 'keys.jsonl', '--quiet'], base);
    expect(ingest.status, ingest.stderr).toBe(2); // the damaged zip
    const r = tamis(['domains', '--case', caseDir, ...protect, '--json'], base);
    expect(r.status, r.stderr).toBe(0);
    const scan = JSON.parse(r.stdout) as DomainScan;
    const found = new Map(scan.lookalikes.map((l) => [l.domain, l]));
    for (const p of PLANTED_LOOKALIKES) {
      const l = found.get(p.domain);
      expect(l, p.domain).toBeDefined();
      expect(l?.imitates).toContain(p.imitates);
      expect(l?.reasons.map((x) => x.technique)).toContain(p.technique);
    }
    expect([...found.keys()].sort()).toEqual(PLANTED_LOOKALIKES.map((p) => p.domain).sort());

    const campagin = found.get('campagin.example')!;
    expect(campagin.fields).toEqual(expect.arrayContaining(['from', 'link', 'received', 'message-id']));
    expect(campagin.recipients).toEqual(['jean.dupont@campaign.example']);
    expect(campagin.replies.map((x) => x.from)).toEqual(['jean.dupont@campaign.example']);
    expect(campagin.firstSeen).toBe('2017-04-18T07:55:00.000Z');
    expect(found.get('xn--cmpaign-2fg.example')?.unicode).toBe('cаmpaign.example');
    expect(found.get('xn--cmpaign-2fg.example')?.forwards.map((x) => x.from)).toEqual(['claire.martin@campaign.example']);
    expect(scan.mismatches.map((m) => `${m.shown} -> ${m.target}`).sort()).toEqual([
      'mail.campaign.example -> campagin.example',
      'outlook.office.com -> portal-office.fr',
    ]);
  });

  it('leaves findings on the carrying emails, and CSV has one row per look-alike', () => {
    const rep = tamis(['report', '--case', caseDir, '--format', 'json'], base);
    const report = JSON.parse(rep.stdout) as { items: { findings: { check: string }[]; occurrences: { path: string }[] }[]; domains?: DomainScan };
    expect(report.domains?.lookalikes.map((l) => l.domain).sort()).toEqual(PLANTED_LOOKALIKES.map((p) => p.domain).sort());
    const html = tamis(['report', '--case', caseDir, '--format', 'html'], base).stdout;
    expect(html).toContain('<h2>Look-alike domains</h2>');
    expect(html).toContain('cаmpaign.example<br><code>xn--cmpaign-2fg.example</code>');
    expect(tamis(['report', '--case', caseDir, '--format', 'md'], base).stdout).toContain('## Look-alike domains');
    const checksAt = (path: string): string[] =>
      report.items.find((i) => i.occurrences.some((o) => o.path.endsWith(path)))?.findings.map((f) => f.check) ?? [];
    expect(checksAt('inbox/018.eml')).toEqual(expect.arrayContaining(['domain.lookalike-sender', 'domain.lookalike-link', 'domain.link-text-mismatch']));
    expect(checksAt('inbox/021.eml')).toEqual(expect.arrayContaining(['domain.lookalike-sender', 'domain.lookalike-link', 'domain.link-text-mismatch']));
    expect(checksAt('inbox/023.eml').filter((c) => c.startsWith('domain.'))).toEqual([]); // the newsletter
    expect(checksAt('inbox/024.eml').filter((c) => c.startsWith('domain.'))).toEqual([]); // fret.fr, box.com
    const csv = tamis(['domains', '--case', caseDir, ...protect, '--csv'], base);
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toMatch(/^domain,unicode,imitates,reasons/);
    expect(lines).toHaveLength(PLANTED_LOOKALIKES.length + 1);
  });

  it('serves the look-alikes to the workbench Domains view', async () => {
    const web = join(base, 'web');
    mkdirSync(web, { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>tamis test</title>');
    const app = await buildServer({ caseDir: caseDir, host: '127.0.0.1', webRoot: web });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/domains', headers: { host: '127.0.0.1:8080' } });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ ran: boolean; lookalikes: { domain: string; itemIds: number[] }[] }>();
      expect(body.ran).toBe(true);
      expect(body.lookalikes.map((l) => l.domain).sort()).toEqual(PLANTED_LOOKALIKES.map((p) => p.domain).sort());
      const item = await app.inject({ method: 'GET', url: `/api/items/${body.lookalikes[0]!.itemIds[0]}`, headers: { host: '127.0.0.1:8080' } });
      expect(item.json<{ findings: { check: string }[] }>().findings.map((f) => f.check)).toContain('domain.lookalike-sender');
    } finally {
      await app.close();
    }
  });

  it('a later ingest scans again (protected domains are kept in the case) and leaves verdicts alone', () => {
    const again = tamis(['ingest', 'dump', '--case', caseDir, '--keys', 'keys.jsonl', '--quiet'], base);
    expect(again.stdout).toContain(`Look-alike domains: ${PLANTED_LOOKALIKES.length}`);
    const report = JSON.parse(tamis(['report', '--case', caseDir, '--format', 'json'], base).stdout) as { items: { verdict: string; occurrences: { path: string }[] }[] };
    const verdictAt = (path: string): string | undefined => report.items.find((i) => i.occurrences.some((o) => o.path.endsWith(path)))?.verdict;
    expect(verdictAt('inbox/018.eml')).toBe('consistent'); // a phishing email is not a forgery
    expect(verdictAt('sent/018-reply.eml')).toBe('verified');
  });

  it('says what is missing', () => {
    const r = tamis(['domains', '--case', caseDir], base);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--protect');
  });
});
