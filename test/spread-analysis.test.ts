import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MultiUndirectedGraph } from 'graphology';
import type { Post } from '../src/spread/model.js';
import { emptyPost } from '../src/spread/model.js';
import { PostSet } from '../src/spread/posts.js';
import { analyseSpread } from '../src/spread/analyse.js';
import { botSignals, looksRandom } from '../src/spread/bots.js';
import { buildCascades } from '../src/spread/cascades.js';
import { parseMarker } from '../src/spread/markers.js';
import { CaseLinker, caseItemRefs } from '../src/spread/case-links.js';
import { toGraphml, toGexf, edgesCsv, nodesCsv } from '../src/spread/export.js';
import { Case } from '../src/store/case.js';
import { tamis } from './helpers/cli.js';
import { Prng } from '../bench/lib/prng.js';

const require = createRequire(import.meta.url);
const graphml = require('graphology-graphml') as { parse: (G: typeof MultiUndirectedGraph, s: string) => MultiUndirectedGraph };
const gexf = require('graphology-gexf') as { parse: (G: typeof MultiUndirectedGraph, s: string) => MultiUndirectedGraph };

const MIN = 60_000;
function build(posts: Post[]): PostSet {
  const set = new PostSet();
  for (const p of posts) set.add(p);
  return set.seal();
}
const post = (id: string, account: string, at: number, fill: Partial<Post> = {}): Post => ({ ...emptyPost(id, account, at), ...fill });

/**
 * Background traffic (2,000 accounts reposting 5 of 3,000 posts at random over 40 hours), four viral
 * posts that 300 of those accounts each repost within ten minutes, and a trio that keeps reposting
 * obscure posts together within seconds.
 */
function viralAndTrio(): Post[] {
  const posts: Post[] = [];
  let n = 0;
  const prng = new Prng(7);
  const rand = () => prng.next();
  for (let u = 0; u < 2000; u++) for (let i = 0; i < 5; i++) posts.push(post(`o${n++}`, `user${u}`, Math.floor(rand() * 2400 * MIN), { kind: 'repost', repostOf: `post${Math.floor(rand() * 3000)}` }));
  for (let v = 0; v < 4; v++) for (let i = 0; i < 300; i++) posts.push(post(`v${n++}`, `user${Math.floor(rand() * 2000)}`, v * 600 * MIN + i * 2000, { kind: 'repost', repostOf: `viral${v}` }));
  for (let k = 0; k < 8; k++)
    for (const [j, a] of ['t1', 't2', 't3'].entries()) posts.push(post(`t${k}${a}`, a, 30 * MIN + k * 97 * MIN + j * 4000, { kind: 'repost', repostOf: `obscure${k}`, repostOfAccount: 'seed', handle: a }));
  return posts;
}

describe('clusters and the popularity control', () => {
  it('a trio co-reposting eight obscure posts is a cluster; 300 accounts reposting the same viral posts within a minute are not', () => {
    const a = analyseSpread(build(viralAndTrio()), { kinds: ['repost'] });
    const kinds = a.result.coordination.kinds[0]!;
    expect(kinds.pairs).toBeGreaterThan(10_000); // the raw network links thousands of viral reposters
    expect(a.result.coordination.clusters.map((c) => c.accounts.sort())).toEqual([['t1', 't2', 't3']]);
    const c = a.result.coordination.clusters[0]!;
    expect(c.coActions).toBe(24);
    expect(c.lift).toBeGreaterThan(10);
    expect(c.why).toMatch(/activity and the objects' popularity alone would give/);
    expect(a.result.coordination.communities[0]?.accounts.sort()).toEqual(['t1', 't2', 't3']);
    expect(a.result.coordination.explainedByPopularity.accounts).toBeGreaterThanOrEqual(300);
  });

  it('objects over the sharer limit are not paired, but listed', () => {
    const a = analyseSpread(build(viralAndTrio()), { kinds: ['repost'], maxSharers: 100 });
    const k = a.result.coordination.kinds[0]!;
    expect(k.unpairedCount).toBe(4);
    expect(k.unpaired[0]?.object).toBe('viral0');
    expect(k.unpaired[0]?.sharers).toBeGreaterThan(250);
    expect(a.result.coordination.clusters.map((c) => c.accounts.length)).toEqual([3]);
  });
});

describe('bot-likeness', () => {
  it('explains an automated young account with a digit handle, and a news wire as benign', () => {
    const posts: Post[] = [];
    const start = Date.parse('2017-05-05T00:00:00Z');
    for (let i = 0; i < 240; i++)
      posts.push(post(`b${i}`, 'bot', start + i * 12 * MIN, { kind: 'repost', repostOf: `x${i}`, handle: 'jean38472910', client: 'IFTTT', profile: { createdAt: start - 5 * 86_400_000, defaultProfile: true, followers: 2 } }));
    for (let i = 0; i < 150; i++)
      posts.push(post(`w${i}`, 'wire', start + i * 19 * MIN + (i % 7) * 20_000, { handle: 'afpfr', client: 'SocialFlow', urls: [`afp.example/story/${i}`], text: `Story ${i}`, profile: { verified: true, followers: 4_000_000, createdAt: Date.parse('2009-01-01') } }));
    const set = build(posts);
    const [bot, wire] = ['bot', 'wire'].map((id) => botSignals(set).find((a) => set.accountIds[a.account] === id)!);
    expect(bot!.signals.map((s) => s.id).sort()).toEqual(['around-the-clock', 'automation-client', 'default-profile', 'digit-handle', 'metronome', 'repost-share', 'volume-dfrlab', 'volume-oii', 'young-account'].sort());
    expect(bot!.signals.find((s) => s.id === 'volume-oii')!.why).toMatch(/posts a day over the/);
    expect(bot!.botLikeness).toBe(1);
    expect(wire!.signals.map((s) => s.id)).toContain('volume-oii');
    expect(wire!.benign.map((s) => s.id).sort()).toEqual(['audience', 'news-wire', 'verified']);
    expect(wire!.botLikeness).toBeLessThan(0.2);
  });
  it('random handles: mixed letters and digits yes, names with a year no', () => {
    expect(looksRandom('xq7vbn2k9z')).toBe(true);
    expect(looksRandom('marie_dupont1987')).toBe(false);
    expect(looksRandom('paulbernard')).toBe(false);
  });
});

describe('cascades and markers', () => {
  it('time to the 15th and 87th repost, from the root time its Snowflake id gives', () => {
    const root = '1050118621198921728'; // 2018-10-10T20:19:24.211Z
    const t0 = Date.parse('2018-10-10T20:19:24.211Z');
    const posts = Array.from({ length: 100 }, (_, i) => post(`r${i}`, `a${i}`, t0 + (i + 1) * 1000, { kind: 'repost', repostOf: root }));
    posts.push(post('q1', 'z', t0 + 5000, { kind: 'quote', quoteOf: root }), post('p1', 'y', t0 + 6000, { kind: 'reply', replyTo: root }), post('p2', 'x', t0 + 7000, { kind: 'reply', replyTo: 'p1' }));
    const c = buildCascades(build(posts)).get(root)!;
    expect(c).toMatchObject({ reposts: 100, quotes: 1, replies: 1, depth: 2, timeTo15Ms: 15_000, timeTo87Ms: 87_000, rootInData: false });
  });
  it('reads marker specs', () => {
    expect(parseMarker('#MacronLeaks')).toMatchObject({ kind: 'hashtag', tag: 'macronleaks' });
    expect(parseMarker('https://www.example.com/leak/?utm_source=x')).toMatchObject({ kind: 'url', url: 'example.com/leak' });
    expect(parseMarker('budget-2017.pdf')).toMatchObject({ kind: 'file' });
    expect(parseMarker('a'.repeat(64))).toMatchObject({ kind: 'hash' });
    expect(parseMarker('item:12')).toMatchObject({ kind: 'item', itemId: 12 });
    expect(parseMarker('en marche')).toMatchObject({ kind: 'text' });
  });
  it('earliest posters of a hashtag, in order, one per account', () => {
    const a = analyseSpread(build([post('1', 'late', 3000, { hashtags: ['leak'] }), post('2', 'first', 1000, { hashtags: ['leak'] }), post('3', 'first', 2000, { hashtags: ['leak'] })]), { markers: ['#leak'] });
    expect(a.result.markers[0]).toMatchObject({ marker: '#leak', posts: 3, accounts: 2, earliest: [{ postId: '2', account: 'first', at: 1000 }, { postId: '1', account: 'late', at: 3000 }] });
  });
});

describe('links to case items', () => {
  it('through the store: a post naming a dump file or carrying its SHA-256 links to the item', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tamis-spread-case-'));
    const kase = await Case.open(dir);
    const sha = 'ab'.repeat(32);
    const { id } = kase.upsertItem(sha, 100, 'application/pdf', 'document');
    kase.addOccurrence(id, '/dump/finance/Budget-2017.pdf', null);
    const linker = new CaseLinker(caseItemRefs(kase));
    kase.close();
    expect(linker.itemsOf(post('1', 'a', 0, { text: 'look at budget-2017.pdf page 3' }))).toEqual([id]);
    expect(linker.itemsOf(post('2', 'a', 0, { media: [sha.toUpperCase()] }))).toEqual([id]);
    expect(linker.itemsOf(post('3', 'a', 0, { urls: ['archive.example/EML/Budget-2017.pdf'] }))).toEqual([id]);
    expect(linker.itemsOf(post('4', 'a', 0, { text: 'budget 2017 is fake' }))).toEqual([]);
  });
});

describe('exports', () => {
  it('GEXF and GraphML read back with graphology (same nodes and edges); CSV has Gephi headers', () => {
    const a = analyseSpread(build(viralAndTrio().filter((p) => p.account.startsWith('t'))), { kinds: ['repost'], alpha: 1, minObjects: 1 });
    expect(a.edges).toHaveLength(3);
    for (const parsed of [graphml.parse(MultiUndirectedGraph, toGraphml(a)), gexf.parse(MultiUndirectedGraph, toGexf(a))]) {
      expect(parsed.order).toBe(3);
      expect(parsed.size).toBe(3);
    }
    expect(nodesCsv(a).split('\r\n')[0]).toBe('Id,Label,botLikeness,posts,perDay,cluster,community,signals');
    expect(edgesCsv(a).split('\r\n')[1]).toMatch(/^t\d,t\d,Undirected,8,repost,8,8,8,/);
  });
});

describe('tamis spread (CLI)', () => {
  it('writes the JSON contract, CSV, GEXF and GraphML from a v1.1 file', () => {
    const out = mkdtempSync(join(tmpdir(), 'tamis-spread-cli-'));
    const r = tamis(['spread', 'test/fixtures/spread/twitter-v1.jsonl', '--marker', '#MacronLeaks', '--window', '30', '--json', join(out, 's.json'), '--nodes', join(out, 'n.csv'), '--edges', join(out, 'e.csv'), '--gexf', join(out, 'g.gexf'), '--graphml', join(out, 'g.graphml')]);
    expect(r.stderr).toMatch(/4 posts by 4 accounts; skipped: 1 limit notice, 1 delete notice/);
    expect(r.status).toBe(0);
    const j = JSON.parse(readFileSync(join(out, 's.json'), 'utf8'));
    expect(j.markers[0]).toMatchObject({ marker: '#MacronLeaks', posts: 2, accounts: 2 });
    expect(j.markers[0].earliest.map((e: { postId: string }) => e.postId)).toEqual(['1050118621198921728', '1050118645981642752']);
    expect(j.markers[0].earliest[0]).toEqual({ postId: '1050118621198921728', account: '6253282', handle: 'TwitterAPI', at: Date.parse('2018-10-10T20:19:24.211Z') });
    expect(j.markers[0].topCascades[0]).toMatchObject({ rootPostId: '1050118621198921728', account: '6253282', reposts: 1 });
    expect(j.coordination).toMatchObject({ window: 30, mode: 'qut', clusters: [] });
    expect(j.accounts.find((x: { account: string }) => x.account === '111').signals.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(['digit-handle', 'default-profile']));
    for (const f of ['n.csv', 'e.csv', 'g.gexf', 'g.graphml']) expect(existsSync(join(out, f))).toBe(true);
  });
  it('says which file is missing', () => {
    const r = tamis(['spread', 'no-such-file.jsonl', '--json', join(tmpdir(), 'x.json')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no-such-file\.jsonl: no such file/);
  });
});
