// bench:dkim — DKIM verification throughput of tamis against dkimpy, Perl Mail::DKIM and mailauth,
// on the same messages (signed by mailauth's independent signer) and the same local keys, each peer
// in its own process pinned to one core. Options: --count N, --small-count N, --small-only,
// --peers tamis,dkimpy,mail-dkim,mailauth, --seed N, --json FILE.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dkimCorpus, type BenchMessage, type DkimCorpus } from './lib/dkim-corpus.js';
import { ensurePeers, PEERS, pinnedToOneCore, runPeer, type Peer, type PeerReport } from './lib/peers.js';
import { formatTable } from './lib/table.js';

const TARGET_RATIO_DKIMPY = 5;
const TARGET_SMALL_PER_SECOND = 10_000;

const log = (s: string): void => void process.stderr.write(`${s}\n`);

interface PeerRun {
  peer: Peer;
  /** Indexes into the corpus of the messages this peer was given. */
  indexes: number[];
  report: PeerReport;
}

interface SetResult {
  name: string;
  messages: number;
  runs: PeerRun[];
  skipped: { peer: string; reason: string }[];
}

function sumNs(run: PeerRun, keep: (m: BenchMessage, index: number) => boolean, msgs: BenchMessage[]): { n: number; ns: number } {
  let n = 0;
  let ns = 0;
  run.indexes.forEach((idx, k) => {
    if (keep(msgs[idx]!, idx)) {
      n++;
      ns += run.report.ns[k]!;
    }
  });
  return { n, ns };
}

/** Messages per second of `run` over the messages `keep` selects, from per-message times. */
function rateOf(run: PeerRun, keep: (m: BenchMessage) => boolean, msgs: BenchMessage[]): number | undefined {
  const { n, ns } = sumNs(run, keep, msgs);
  return n === 0 ? undefined : n / (ns / 1e9);
}

/** ours/peer speed on exactly the messages the peer verified (per-message times of both). */
function ratio(ours: PeerRun, peer: PeerRun, msgs: BenchMessage[]): number {
  const given = new Set(peer.indexes);
  const o = sumNs(ours, (_m, idx) => given.has(idx), msgs);
  const p = sumNs(peer, () => true, msgs);
  return p.ns / o.ns;
}

function runSet(name: string, corpus: DkimCorpus, peers: Peer[], unavailable: Map<string, string>): SetResult {
  const scratch = mkdtempSync(join(tmpdir(), 'tamis-bench-dkim-'));
  const result: SetResult = { name, messages: corpus.messages.length, runs: [], skipped: [] };
  try {
    for (const peer of peers) {
      const why = unavailable.get(peer.id);
      if (why) {
        log(`skipping ${peer.label}: ${why}`);
        result.skipped.push({ peer: peer.label, reason: why });
        continue;
      }
      const indexes = corpus.messages.flatMap((m, i) => (peer.supports(m) ? [i] : []));
      log(`[${name}] ${peer.label}: verifying ${indexes.length} messages...`);
      try {
        const report = runPeer(peer, corpus.keyTableFile, indexes.map((i) => join(corpus.dir, corpus.messages[i]!.file)), scratch);
        result.runs.push({ peer, indexes, report });
        for (const f of report.failures) log(`  ${peer.label} did not pass ${f}`);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        log(`  ${peer.label} failed to run: ${reason}`);
        result.skipped.push({ peer: peer.label, reason });
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return result;
}

function printSet(set: SetResult, msgs: BenchMessage[]): void {
  const ours = set.runs.find((r) => r.peer.id === 'tamis');
  const fmt = (v: number | undefined, digits = 0): string => (v === undefined ? '-' : v.toFixed(digits));
  const rows = set.runs.map((run) => {
    const bytes = run.indexes.reduce((s, i) => s + msgs[i]!.bytes, 0);
    const passed = [...run.report.pass].filter((c) => c === '1').length;
    return [
      run.peer.label,
      String(run.report.count),
      `${passed}/${run.report.count}`,
      run.report.loopSeconds.toFixed(2),
      fmt(run.report.count / run.report.loopSeconds),
      fmt(bytes / 1e6 / run.report.loopSeconds, 1),
      fmt(rateOf(run, (m) => m.algorithm === 'rsa-sha256', msgs)),
      fmt(rateOf(run, (m) => m.algorithm === 'ed25519-sha256', msgs)),
      ours && run !== ours ? `${ratio(ours, run, msgs).toFixed(2)}x` : '',
      run.peer.note ?? '',
    ];
  });
  const mb = msgs.reduce((s, m) => s + m.bytes, 0) / 1e6;
  console.log(`\n== ${set.name}: ${set.messages} messages, ${mb.toFixed(1)} MB ==`);
  console.log(
    formatTable(['peer', 'msgs', 'pass', 'loop s', 'msgs/s', 'MB/s', 'rsa msgs/s', 'ed25519 msgs/s', 'ours/peer', 'note'], rows),
  );
  for (const s of set.skipped) console.log(`skipped ${s.peer}: ${s.reason}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '20000' },
      'small-count': { type: 'string', default: '5000' },
      'small-only': { type: 'boolean', default: false },
      peers: { type: 'string', default: PEERS.map((p) => p.id).join(',') },
      seed: { type: 'string', default: '6376' },
      json: { type: 'string' },
    },
  });
  const count = Number(values.count);
  const smallCount = Number(values['small-count']);
  const seed = Number(values.seed);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(smallCount) || smallCount < 1) {
    throw new Error('--count and --small-count take a positive whole number');
  }
  const wanted = values.peers.split(',').map((s) => s.trim());
  const peers = PEERS.filter((p) => wanted.includes(p.id));
  if (!peers.some((p) => p.id === 'tamis')) throw new Error('--peers must include tamis: ratios are ours/peer');

  const unavailable = ensurePeers(log);
  console.log(
    pinnedToOneCore
      ? 'Each peer runs in its own process pinned to CPU 0 (taskset -c 0); timings are of the verify loop only.'
      : 'taskset not found: peers are not pinned, but every verify loop is single-threaded (one message at a time).',
  );

  const sets: { name: string; corpus: DkimCorpus; result: SetResult }[] = [];
  if (!values['small-only']) {
    const corpus = await dkimCorpus('dkim-mixed', { count, minBytes: 2048, maxBytes: 102_400, seed }, log);
    sets.push({ name: 'mixed 2-100 KB', corpus, result: runSet('mixed 2-100 KB', corpus, peers, unavailable) });
  }
  const small = await dkimCorpus('dkim-small', { count: smallCount, minBytes: 2048, maxBytes: 2048, seed: seed + 1 }, log);
  sets.push({ name: 'small 2 KB', corpus: small, result: runSet('small 2 KB', small, peers, unavailable) });

  for (const s of sets) printSet(s.result, s.corpus.messages);

  console.log('\n== targets ==');
  let oursDisagrees = false;
  for (const s of sets) {
    const ours = s.result.runs.find((r) => r.peer.id === 'tamis');
    if (!ours) {
      console.log(`${s.name}: tamis did not run (see above)`);
      oursDisagrees = true;
      continue;
    }
    const failed = [...ours.report.pass].filter((c) => c !== '1').length;
    if (failed > 0) oursDisagrees = true;
    console.log(`${s.name}: tamis passed ${ours.report.count - failed}/${ours.report.count} messages signed by mailauth`);
  }
  const mixed = sets.find((s) => s.name.startsWith('mixed'));
  const oursMixed = mixed?.result.runs.find((r) => r.peer.id === 'tamis');
  const dkimpyMixed = mixed?.result.runs.find((r) => r.peer.id === 'dkimpy');
  if (mixed && oursMixed && dkimpyMixed) {
    const r = ratio(oursMixed, dkimpyMixed, mixed.corpus.messages);
    console.log(`${r >= TARGET_RATIO_DKIMPY ? 'PASS' : 'FAIL'}  ours >= ${TARGET_RATIO_DKIMPY}x dkimpy per core (mixed): ${r.toFixed(2)}x`);
  } else if (!values['small-only']) {
    console.log('n/a   ours vs dkimpy: dkimpy did not run');
  }
  const oursSmall = sets.find((s) => s.name.startsWith('small'))?.result.runs.find((r) => r.peer.id === 'tamis');
  if (oursSmall) {
    const rate = oursSmall.report.count / oursSmall.report.loopSeconds;
    console.log(`${rate >= TARGET_SMALL_PER_SECOND ? 'PASS' : 'FAIL'}  ours >= ${TARGET_SMALL_PER_SECOND} small (2 KB) msgs/s per core: ${rate.toFixed(0)}`);
  }

  if (values.json) {
    const out = sets.map((s) => ({
      set: s.name,
      messages: s.result.messages,
      skipped: s.result.skipped,
      runs: s.result.runs.map((r) => ({
        peer: r.peer.id,
        count: r.report.count,
        passed: [...r.report.pass].filter((c) => c === '1').length,
        loopSeconds: r.report.loopSeconds,
        perSecond: r.report.count / r.report.loopSeconds,
      })),
    }));
    writeFileSync(values.json, JSON.stringify(out, null, 2));
  }
  if (oursDisagrees) process.exitCode = 1;
}

main().catch((e: unknown) => {
  log(`bench:dkim failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
