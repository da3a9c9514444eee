// The report's spread section, end to end through the CLI: a tiny dump is ingested, `tamis spread
// --case` runs on the hand-written v1.1 fixture plus a v1.1 file of a trio co-retweeting obscure
// posts amid organic retweets, and the report (JSON, HTML, Markdown) shows first posters, cascades,
// the trio as a cluster with its shared objects and why, bot-like accounts and the post linking to
// the dump's PDF.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tamis } from './helpers/cli.js';
import type { SpreadSection } from '../src/report/spread.js';
import { MIN, T0, trioCampaign } from './helpers/spread-posts.js';

const FIXTURE = resolve('test/fixtures/spread/twitter-v1.jsonl');

describe('report: how it spread', () => {
  const base = mkdtempSync(join(tmpdir(), 'tamis-report-spread-'));
  const caseDir = join(base, 'case');
  let report: { spread?: SpreadSection; items: { id: number; occurrences: { path: string }[] }[] };

  it('the spread analysis saved with --case appears in the JSON report with real values', () => {
    mkdirSync(join(base, 'dump'));
    writeFileSync(join(base, 'dump', 'budget-2017.pdf'), '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    const ingest = tamis(['ingest', 'dump', '--case', caseDir, '--quiet'], base);
    expect(ingest.status, ingest.stderr).toBe(0);
    writeFileSync(join(base, 'trio.jsonl'), trioCampaign().join('\n') + '\n');
    const spread = tamis(['spread', FIXTURE, join(base, 'trio.jsonl'), '--case', caseDir, '--marker', '#MacronLeaks', '--kind', 'repost', '--quiet'], base);
    expect(spread.status, spread.stderr).toBe(0);
    const rep = tamis(['report', '--case', caseDir, '--format', 'json'], base);
    expect(rep.status, rep.stderr).toBe(0);
    report = JSON.parse(rep.stdout) as typeof report;
    const s = report.spread!;
    const pdf = report.items.find((i) => i.occurrences.some((o) => o.path.endsWith('budget-2017.pdf')))!;
    expect(s.posts).toBe(4 + 1000 + 24);
    const mk = s.markers[0]!;
    expect(mk).toMatchObject({ marker: '#MacronLeaks', posts: 2, accounts: 2 });
    expect(mk.earliest[0]).toEqual({ postId: '1050118621198921728', account: '6253282', handle: 'TwitterAPI', at: '2018-10-10T20:19:24.211Z' });
    expect(mk.topCascades[0]).toMatchObject({ rootPostId: '1050118621198921728', account: '6253282', reposts: 1 });
    expect(mk.topCascades[0]!.timeTo15Ms).toBeUndefined();
    expect(s.clusters.map((c) => [...c.accounts].sort())).toEqual([['trio_a', 'trio_b', 'trio_c']]);
    const cl = s.clusters[0]!;
    expect(cl.objects.every((o) => o.kind === 'repost' && /^7000\d$/.test(o.object))).toBe(true);
    expect(cl.why).toMatch(/activity and the objects' popularity alone would give/);
    expect(cl.firstAt).toBe(new Date(T0 + 30 * MIN).toISOString());
    const bot = s.topAccounts.find((a) => a.account === '111')!;
    expect(bot.signals.map((x) => x.id)).toEqual(expect.arrayContaining(['digit-handle', 'default-profile']));
    expect(s.items).toEqual([{ itemId: pdf.id, posts: 1, accounts: 1, firstAt: '2018-10-10T20:19:31.500Z', postIds: ['1050118651769782272'] }]);
    expect(JSON.stringify(s)).not.toContain(base); // no local folder in a published report
  });

  it('the HTML and Markdown reports show the same section', () => {
    const html = tamis(['report', '--case', caseDir, '--format', 'html'], base).stdout;
    expect(html).toContain('<h2>How it spread</h2>');
    expect(html).toContain('<h3>#MacronLeaks</h3>');
    expect(html).toContain('2018-10-10T20:19:24.211Z @TwitterAPI (post 1050118621198921728)');
    expect(html).toMatch(/<td>@trio_\w, @trio_\w, @trio_\w<\/td><td>repost: 7000\d \(\d+ pairs\)/);
    expect(html).toMatch(/<td>@\w+<br><code>111<\/code><\/td>.*digit-handle: /);
    const pdf = report.items.find((i) => i.occurrences.some((o) => o.path.endsWith('budget-2017.pdf')))!;
    expect(html).toContain(`<li>item ${pdf.id}: 1 posts by 1 accounts, first at 2018-10-10T20:19:31.500Z (posts 1050118651769782272)</li>`);
    const md = tamis(['report', '--case', caseDir, '--format', 'md'], base).stdout;
    expect(md).toContain('## How it spread');
    expect(md).toMatch(/- \*\*c1\*\* \(2018-10-11T08:30:00\.000Z → .*\): @trio\\_\w, @trio\\_\w, @trio\\_\w\. Shared: repost: 7000\d \(3 pairs\)/);
  });
});
