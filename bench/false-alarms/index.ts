// bench:false-alarms — an authentic-only campaign dump through the real `tamis ingest`: false alarms by
// check (target: 0 authentic items tampered, ≤ 1 % suspicious); then the same dump with planted
// forgeries: recall by check (target ≥ 0.97). Options: --threads N (size, default 300), --seed N,
// --keep (keep the dumps and cases), --list (print every false alarm and miss).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatTable } from '../lib/table.js';
import { writeFalseAlarmDump, type FalseAlarmOptions } from './generate.js';
import { describeFalseAlarms, describeMisses, falseAlarmsByCheck, quietWarnings, recallByCheck, scoreCase, summary, TARGETS, unexpectedVerdicts, type ScoredItem } from './score.js';

const log = (s: string): void => void process.stderr.write(`${s}\n`);
const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repo root (package.json) above bench/false-alarms');
    dir = up;
  }
  return dir;
}

async function run(o: FalseAlarmOptions, keep: boolean): Promise<{ items: ScoredItem[]; seconds: number; base: string }> {
  const base = mkdtempSync(join(tmpdir(), `tamis-false-alarms-${o.forgeries ? 'mixed' : 'authentic'}-`));
  const lab = await writeFalseAlarmDump(base, o);
  const cli = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
  const args = [cli, 'ingest', lab.dump, '--case', join(base, 'case'), '--keys', lab.keys, '--cutoff', lab.cutoff, ...lab.orgDomains.flatMap((d) => ['--org', d]), '--quiet'];
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`tamis ingest of ${lab.dump} exited with ${r.status}: ${r.stderr}`);
  const scored = await scoreCase(join(base, 'case'), lab.labels);
  if (scored.unlabelled.length) log(`warning: ${scored.unlabelled.length} items without a label, e.g. ${scored.unlabelled.slice(0, 3).join(', ')}`);
  if (!keep) rmSync(base, { recursive: true, force: true });
  return { items: scored.items, seconds, base };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { threads: { type: 'string', default: '300' }, seed: { type: 'string', default: '2016' }, keep: { type: 'boolean', default: false }, list: { type: 'boolean', default: false } } });
  const threads = Number(values.threads);
  const seed = Number(values.seed);

  log(`authentic-only dump (threads ${threads}, seed ${seed})…`);
  const clean = await run({ seed, threads, forgeries: false }, values.keep);
  const s = summary(clean.items);
  const rows = falseAlarmsByCheck(clean.items).map((c) => [c.check, String(c.alarms), String(c.flagged), pct(c.rate), c.rate <= TARGETS.falseAlarmRate ? 'PASS' : 'FAIL']);
  console.log(`\nFalse alarms on ${s.authentic} authentic items (ingest + analysis ${clean.seconds.toFixed(1)} s${values.keep ? `, kept in ${clean.base}` : ''})`);
  console.log(formatTable(['check', 'warned', 'flagged', 'rate', `≤ ${pct(TARGETS.falseAlarmRate)}`], rows.length ? rows : [['(none)', '0', '0', pct(0), 'PASS']]));
  console.log(`tampered ${s.tampered} (target ${TARGETS.tampered}): ${s.tampered <= TARGETS.tampered ? 'PASS' : 'FAIL'}; suspicious ${s.suspicious} (${pct(s.suspicious / s.authentic)}), all flagged ${pct(s.falseAlarmRate)} (target ≤ ${pct(TARGETS.falseAlarmRate)}): ${s.falseAlarmRate <= TARGETS.falseAlarmRate ? 'PASS' : 'FAIL'}`);
  const fa = describeFalseAlarms(clean.items);
  if (fa.length) console.log(`\nFalse alarms${values.list ? '' : ' (first 20; --list for all)'}:\n${(values.list ? fa : fa.slice(0, 20)).join('\n')}`);
  const quiet = quietWarnings(clean.items);
  const unexpected = unexpectedVerdicts(clean.items);
  console.log(`\nNot counted as false alarms: ${quiet.length} authentic items with a warning that left the verdict unchanged ("warned" minus "flagged"), ${unexpected.length} with another verdict than expected but not flagged${values.list ? '' : ' (--list shows them)'}`);
  if (values.list && quiet.length) console.log(quiet.join('\n'));
  if (values.list && unexpected.length) console.log(unexpected.join('\n'));

  log(`\nsame dump with planted forgeries…`);
  const mixed = await run({ seed, threads, forgeries: true }, values.keep);
  const m = summary(mixed.items);
  const rrows = recallByCheck(mixed.items).map((r) => [r.check, String(r.forged), String(r.caught), r.recall.toFixed(2)]);
  console.log(`\nRecall on ${m.forged} planted forgeries (${m.authentic} authentic items beside them, ingest + analysis ${mixed.seconds.toFixed(1)} s)`);
  console.log(formatTable(['check', 'forged', 'caught', 'recall'], rrows));
  console.log(`all forgeries flagged (suspicious or tampered): ${m.caught}/${m.forged} = ${m.recall.toFixed(3)} (target ≥ ${TARGETS.recall}): ${m.recall >= TARGETS.recall ? 'PASS' : 'FAIL'}`);
  console.log(`authentic items beside the forgeries: tampered ${m.tampered}, flagged ${pct(m.falseAlarmRate)}`);
  const missed = describeMisses(mixed.items);
  if (missed.length) console.log(`\nMissed:\n${missed.join('\n')}`);
  const fa2 = describeFalseAlarms(mixed.items).filter((l) => !fa.includes(l));
  if (fa2.length && values.list) console.log(`\nFalse alarms only beside the forgeries:\n${fa2.join('\n')}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
