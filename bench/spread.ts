// `npm run bench:spread`: the spread analysis on a generated 48-hour, 200,000-post campaign (see
// lib/campaign-gen.ts) in Twitter v1.1 JSON Lines and the IO-archive CSV, and on CooRTweet's German
// elections set (../shared/corpus/social, when present). Prints network recovery F1, benign
// high-volume accounts wrongly put in a cluster, bot precision at K, and times (wall and CPU).
// Options: --posts N (default 200000), --json FILE. Not a test: no assertion, PASS/FAIL printed.
import { createWriteStream, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { analyseSpread, type SpreadAnalysis } from '../src/spread/analyse.js';
import { collectPosts, type PostSet } from '../src/spread/posts.js';
import { readPosts } from '../src/spread/sources/index.js';
import type { ObjectKind } from '../src/spread/objects.js';
import { cached } from './lib/cache.js';
import { generateCampaign, ioLines, v1Lines } from './lib/campaign-gen.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const TOTAL = Number(arg('--posts') ?? 200_000);
const GERMAN = join(process.cwd(), '..', 'shared', 'corpus', 'social', 'cooRTweet_german_elections.csv');

interface Truth {
  networks: string[][];
  bots: string[];
  benignHighVolume: string[];
  posts: number;
  users: number;
}

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const l of lines) if (!out.write(l + '\n')) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

function score(a: SpreadAnalysis, truth: Truth) {
  const planted = new Set(truth.networks.flat());
  const predicted = new Set(a.result.coordination.clusters.flatMap((c) => c.accounts));
  let tp = 0;
  for (const x of predicted) if (planted.has(x)) tp++;
  const precision = predicted.size ? tp / predicted.size : 0;
  const recall = planted.size ? tp / planted.size : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const benign = truth.benignHighVolume.filter((x) => predicted.has(x));
  const perNetwork = truth.networks.map((n) => n.filter((x) => predicted.has(x)).length / n.length);
  const bots = new Set(truth.bots);
  const ranked = a.result.accounts.map((x) => x.account);
  const atK = (k: number) => ranked.slice(0, k).filter((x) => bots.has(x)).length / k;
  const benignRank = truth.benignHighVolume.map((x) => ranked.indexOf(x)).filter((i) => i >= 0 && i < truth.bots.length).length;
  return { precision, recall, f1, benign, perNetwork, p50: atK(50), p100: atK(100), pR: atK(truth.bots.length), benignInTopR: benignRank, clusters: a.result.coordination.clusters.length };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

const { dir, summary: truth, reused } = await cached('spread-campaign', { total: TOTAL, v: 1 }, async (d) => {
  const c = generateCampaign(TOTAL);
  await writeLines(join(d, 'campaign.v1.jsonl'), v1Lines(c));
  await writeLines(join(d, 'campaign.io.csv'), ioLines(c));
  return { networks: c.networks, bots: c.bots, benignHighVolume: c.benignHighVolume, posts: c.posts.length, users: c.users.length } satisfies Truth;
});
console.log(`campaign: ${truth.posts.toLocaleString('en')} posts, ${truth.users.toLocaleString('en')} accounts, ${truth.networks.length} planted networks (${truth.networks.flat().length} accounts), ${truth.bots.length} bots, ${truth.benignHighVolume.length} benign high-volume accounts${reused ? ' (cached)' : ''}; ${dir}`);

const report: Record<string, unknown> = { posts: truth.posts };
for (const [label, file] of [['v1.1 JSON Lines', 'campaign.v1.jsonl'], ['IO-archive CSV', 'campaign.io.csv']] as const) {
  const parsed = await timed(() => collectPosts([readPosts(join(dir, file))]));
  const analysed = await timed(() => analyseSpread(parsed.value));
  const s = score(analysed.value, truth);
  const k = analysed.value.result.timings;
  console.log(`\n${label}: parse ${fmt(parsed.wallMs)} (cpu ${fmt(parsed.cpuMs)}), analysis ${fmt(analysed.wallMs)} (cpu ${fmt(analysed.cpuMs)}; coordination ${k.coordination} ms, markers ${k.markers} ms, accounts ${k.accounts} ms)`);
  console.log(`  network recovery: F1 ${s.f1.toFixed(3)} (precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}; per network ${s.perNetwork.map(pct).join(', ')}; ${s.clusters} clusters)  ${s.f1 >= 0.9 ? 'PASS' : 'FAIL'} (target ≥ 0.9)`);
  console.log(`  benign high-volume accounts in a cluster: ${s.benign.length} of ${truth.benignHighVolume.length}  ${s.benign.length === 0 ? 'PASS' : 'FAIL'}`);
  console.log(`  bot precision at K: @50 ${pct(s.p50)}, @100 ${pct(s.p100)}, @${truth.bots.length} (R) ${pct(s.pR)}; benign high-volume accounts among the top ${truth.bots.length}: ${s.benignInTopR}`);
  console.log(`  per kind: ${analysed.value.result.coordination.kinds.map((x) => `${x.kind} ${x.ms} ms (${x.significantPairs} sig. pairs)`).join(', ')}`);
  report[label] = { parseMs: parsed.wallMs, analysisMs: analysed.wallMs, analysisCpuMs: analysed.cpuMs, ...s };
}

if (existsSync(GERMAN)) {
  const parsed = await timed(() => collectPosts([readPosts(GERMAN)]));
  const set: PostSet = parsed.value;
  const runs: [string, ObjectKind[] | undefined][] = [['default kinds', undefined], ['url, hashtag, domain, media', ['url', 'hashtag', 'domain', 'media']]];
  console.log(`\nCooRTweet German elections: ${set.size.toLocaleString('en')} posts (${set.duplicates} repeated rows merged), parse ${fmt(parsed.wallMs)} (cpu ${fmt(parsed.cpuMs)})`);
  for (const [label, kinds] of runs) {
    const analysed = await timed(() => analyseSpread(set, kinds ? { kinds } : {}));
    const total = parsed.wallMs + analysed.wallMs;
    console.log(`  ${label}: analysis ${fmt(analysed.wallMs)} (cpu ${fmt(analysed.cpuMs)}) ${analysed.wallMs < 1000 ? 'PASS' : 'FAIL'} (< 1 s); end to end ${fmt(total)} ${total < 10_000 ? 'PASS' : 'FAIL'} (< 10 s); ${analysed.value.result.coordination.clusters.length} clusters`);
    report[`german ${label}`] = { parseMs: parsed.wallMs, analysisMs: analysed.wallMs, analysisCpuMs: analysed.cpuMs };
  }
} else console.log(`\n(skipped the German elections set: ${GERMAN} not found)`);

const json = arg('--json');
if (json) writeFileSync(json, JSON.stringify(report, null, 2));
