// `npm run demo`: builds the bundled sample dump, ingests it into a fresh case with the sample key
// archive, prints the verdict summary and writes the HTML report. Uses the real CLI, as a user would.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';
import { makeSampleDump } from './make-sample-dump.js';
import { Case } from '../src/store/case.js';
import { buildReport } from '../src/report/from-case.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(repo, 'dist', 'src', 'cli', 'main.js');
const sample = join(repo, 'sample');
const dump = join(sample, 'dump');
const out = join(sample, 'out');
const caseDir = join(out, 'case');
const report = join(out, 'report.html');

function tamis(args: string[]): number {
  const res = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', cwd: sample });
  return res.status ?? 1;
}

await makeSampleDump(dump);
rmSync(caseDir, { recursive: true, force: true });
console.log(`Sample dump written to ${relative(process.cwd(), dump)}; ingesting it...\n`);
const ingest = tamis(['ingest', 'dump', '--case', caseDir, '--keys', join(dump, '..', 'keys.jsonl')]);
// Exit code 2 means some items could not be read fully: the sample has a corrupt archive on purpose.
if (ingest !== 0 && ingest !== 2) process.exit(ingest);
const rep = tamis(['report', '--case', caseDir, '--format', 'html', '--out', report]);
if (rep !== 0) process.exit(rep);

// What an editor wants first: the items that are not simply authentic, and why.
const kase = await Case.openExisting(caseDir);
const notable = buildReport(kase).items.filter((i) => i.verdict === 'tampered' || i.verdict === 'suspicious');
kase.close();
console.log('\nTampered and suspicious items:');
for (const i of notable) {
  const reason = i.verdictReason.length > 120 ? `${i.verdictReason.slice(0, 117)}...` : i.verdictReason;
  console.log(`  #${String(i.id).padEnd(3)} ${i.verdict.padEnd(10)} ${i.occurrences[0]?.path ?? ''}\n        ${reason}`);
}
console.log(`\nOpen the report: ${report}`);
console.log(`Inspect one item:  node dist/src/cli/main.js show 1 --case ${relative(process.cwd(), caseDir)}`);
