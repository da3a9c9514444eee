// Look-alike generation against Debian's dnstwist: `npm run bench:domains` (or `npx tsx bench/domains.ts`).
// For each case, the variant set of `dnstwist --format list` (its CLI) and of tamis's
// generateVariants are compared (both counts, differences by fuzzer), then generation alone is
// timed in-process on both sides (dnstwist's Fuzzer class through bench/peers/dnstwist_generate.py,
// median of --reps runs each). Installs dnstwist with apt-get when root and it is missing.
// Not a test: no assertion; exit code 1 only if a set differs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { generateVariants, parseDictionary, parseTldList } from '../src/domains/generate.js';

const here = dirname(fileURLToPath(import.meta.url));
// From dist/bench the fixtures and the Python peer are the uncompiled sources.
const benchDir = extname(fileURLToPath(import.meta.url)) === '.js' ? join(here, '..', '..', 'bench') : here;
const DICT = join(benchDir, 'fixtures', 'domains-dict.txt');
const TLDS = join(benchDir, 'fixtures', 'domains-tlds.txt');
const PEER = join(benchDir, 'peers', 'dnstwist_generate.py');
// Debian's dnstwist lives in the system Python, which another python3 on PATH may hide.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

interface Case { name: string; domain: string; dict?: string; tld?: string }
const CASES: Case[] = [
  { name: 'en-marche.fr default', domain: 'en-marche.fr' },
  { name: 'en-marche.fr + 81-word dictionary', domain: 'en-marche.fr', dict: DICT },
  { name: 'en-marche.fr + 26-suffix TLD list', domain: 'en-marche.fr', tld: TLDS },
  { name: 'bbc.co.uk default', domain: 'bbc.co.uk' },
  { name: 'mail.google.com default', domain: 'mail.google.com' },
];

function ensureDnstwist(): string {
  const has = (): boolean => spawnSync('dnstwist', ['--help'], { stdio: 'ignore' }).status === 0;
  if (!has() && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('dnstwist missing: running apt-get update && apt-get install -y dnstwist');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (spawnSync('apt-get', ['update'], { stdio: 'inherit', env }).status === 0) spawnSync('apt-get', ['install', '-y', 'dnstwist'], { stdio: 'inherit', env });
  }
  if (!has()) throw new Error('dnstwist is not installed and could not be installed: run apt-get install dnstwist (as root), then this bench again');
  const v = spawnSync(PYTHON, ['-c', 'import dnstwist; print(dnstwist.__version__)'], { encoding: 'utf8' });
  return v.stdout.trim();
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function run(c: Case, reps: number): boolean {
  const args = ['--format', 'list', ...(c.dict ? ['--dictionary', c.dict] : []), ...(c.tld ? ['--tld', c.tld] : []), c.domain];
  const t0 = performance.now();
  const cli = spawnSync('dnstwist', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const cliMs = performance.now() - t0;
  if (cli.status !== 0) throw new Error(`dnstwist ${args.join(' ')} failed: ${cli.stderr}`);
  const theirs = new Set(cli.stdout.split('\n').filter((l) => l !== ''));
  const peer = spawnSync(PYTHON, [PEER, c.domain, c.dict ?? '-', c.tld ?? '-', String(reps)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (peer.status !== 0) throw new Error(`${PEER} failed: ${peer.stderr}`);
  const p = JSON.parse(peer.stdout) as { seconds: number[]; variants: [string, string][] };
  const theirFuzzer = new Map(p.variants.map(([f, d]) => [d, f]));

  const opts = {
    dictionary: c.dict ? parseDictionary(readFileSync(c.dict, 'utf8')) : [],
    tlds: c.tld ? parseTldList(readFileSync(c.tld, 'utf8')) : [],
  };
  const times: number[] = [];
  let ours = generateVariants(c.domain, opts);
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    ours = generateVariants(c.domain, opts);
    times.push(performance.now() - t);
  }
  const ourSet = new Map(ours.map((v) => [v.domain, v.fuzzer as string]));
  const byFuzzer = new Map<string, { ours: number; theirs: number; onlyOurs: string[]; onlyTheirs: string[] }>();
  const row = (f: string) => byFuzzer.get(f) ?? byFuzzer.set(f, { ours: 0, theirs: 0, onlyOurs: [], onlyTheirs: [] }).get(f)!;
  for (const [d, f] of ourSet) { row(f).ours++; if (!theirs.has(d)) row(f).onlyOurs.push(d); }
  for (const d of theirs) { const f = theirFuzzer.get(d) ?? '?'; row(f).theirs++; if (!ourSet.has(d)) row(f).onlyTheirs.push(d); }
  // Best of the runs as well as the median: on a shared machine the median moves with other load.
  const ourMs = median(times);
  const theirMs = median(p.seconds) * 1000;
  const ourBest = Math.min(...times);
  const theirBest = Math.min(...p.seconds) * 1000;
  const same = [...byFuzzer.values()].every((r) => r.onlyOurs.length === 0 && r.onlyTheirs.length === 0);
  console.log(`\n${c.name}: dnstwist --format list ${theirs.size} (CLI ${cliMs.toFixed(0)} ms), tamis ${ourSet.size} — ${same ? 'same set' : 'SETS DIFFER'}`);
  console.log(`  in-process generation, median of ${reps}: dnstwist ${theirMs.toFixed(1)} ms, tamis ${ourMs.toFixed(1)} ms, dnstwist/tamis ${(theirMs / ourMs).toFixed(1)}`);
  console.log(`  best of ${reps}: dnstwist ${theirBest.toFixed(1)} ms, tamis ${ourBest.toFixed(1)} ms, dnstwist/tamis ${(theirBest / ourBest).toFixed(1)}`);
  console.log('  fuzzer          dnstwist   tamis  only-dnstwist  only-tamis');
  for (const [f, r] of [...byFuzzer].sort()) {
    console.log(`  ${f.padEnd(14)} ${String(r.theirs).padStart(9)} ${String(r.ours).padStart(7)} ${String(r.onlyTheirs.length).padStart(14)} ${String(r.onlyOurs.length).padStart(11)}`);
    for (const d of r.onlyTheirs.slice(0, 5)) console.log(`      only dnstwist: ${d}`);
    for (const d of r.onlyOurs.slice(0, 5)) console.log(`      only tamis:    ${d}`);
  }
  return same;
}

const { values } = parseArgs({ options: { reps: { type: 'string', default: '5' } } });
const version = ensureDnstwist();
console.log(`dnstwist ${version} (Debian), tamis generateVariants; no DNS on either side`);
let allSame = true;
for (const c of CASES) allSame = run(c, Math.max(1, Number(values.reps))) && allSame;
console.log(allSame ? '\nAll variant sets identical.' : '\nSome variant sets differ (see above).');
process.exitCode = allSame ? 0 : 1;
