// bench:extract — metadata extraction rate (files/s) over ../shared/corpus/documents, ours vs ExifTool.
// Ours: sniffMediaType + extract() on every file, all files read into memory first, one untimed
// warm-up pass, then one timed pass; twice: metadata only (what ExifTool does, the compared figure)
// and metadata + search text (what an ingest does). The two must give the same metadata: the
// bench counts any field the metadata-only pass loses. ExifTool: one batch process `exiftool -j -r -q <dir>`, timed
// wall clock, also reported without its Perl start-up (measured with `exiftool -ver`).
// Both run on CPU 0: the script re-spawns itself under `taskset -c 0` when taskset exists, and the
// exiftool child inherits that affinity. Target: our rate ≥ 3× ExifTool's batch rate.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extract, type ExtractOptions, type Extraction } from '../src/extract/index.js';
import { sniffMediaType } from '../src/ingest/sniff.js';
import { formatTable } from './lib/table.js';

const TARGET_RATIO = 3;
const SNIFF_BYTES = 64 * 1024;
const PINNED_ENV = 'TAMIS_BENCH_PINNED';
const TASKSET = '/usr/bin/taskset';

const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** The repo root: the nearest folder above this file holding package.json (works from bench/ and dist/bench/). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repo root (package.json) above bench/extract');
    dir = up;
  }
  return dir;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** True when the extraction carries at least one normalised (non-raw) metadata field. */
function hasMetadata(ex: Extraction | null): boolean {
  if (!ex) return false;
  return Object.entries(ex.metadata).some(([k, v]) => k !== 'raw' && v !== undefined);
}

interface Run {
  files: number;
  seconds: number;
  withMetadata: number;
  /** The slowest files of the pass, slowest first (ours only). */
  slowest?: { name: string; seconds: number }[];
}

interface CorpusFile {
  path: string;
  name: string;
  bytes: Buffer;
}

async function extractAll(files: CorpusFile[], opts: ExtractOptions): Promise<Run> {
  let withMetadata = 0;
  const each: { name: string; seconds: number }[] = [];
  const start = process.hrtime.bigint();
  for (const f of files) {
    const t0 = process.hrtime.bigint();
    const { mediaType } = await sniffMediaType(f.bytes.subarray(0, SNIFF_BYTES), f.name);
    if (hasMetadata(await extract(f.bytes, mediaType, f.name, opts))) withMetadata++;
    each.push({ name: f.name, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { files: files.length, seconds, withMetadata, slowest: each.sort((a, b) => b.seconds - a.seconds).slice(0, 5) };
}

/** One untimed warm-up pass, then one timed pass. */
async function runOurs(files: CorpusFile[], opts: ExtractOptions): Promise<Run> {
  await extractAll(files, opts);
  return extractAll(files, opts);
}

/** What metadata-only extraction must keep: everything but text, cells and revision text. */
function metadataView(ex: Extraction | null): string {
  if (!ex) return 'null';
  const revisions = ex.pdfRevisions?.map(({ text: _text, ...r }) => r);
  // pdf.js reports per-page text failures among problems; those exist only when text is read.
  return JSON.stringify({ metadata: ex.metadata, encrypted: ex.encrypted, ooxml: ex.ooxml, odf: ex.odf, revisions });
}

/** Files whose metadata differs between the metadata-only and the full extraction (should be none). */
async function fieldLosses(files: CorpusFile[]): Promise<string[]> {
  const lost: string[] = [];
  for (const f of files) {
    const { mediaType } = await sniffMediaType(f.bytes.subarray(0, SNIFF_BYTES), f.name);
    const full = await extract(f.bytes, mediaType, f.name);
    const meta = await extract(f.bytes, mediaType, f.name, { text: false });
    if (metadataView(full) !== metadataView(meta)) lost.push(f.name);
  }
  return lost;
}

/** Finds exiftool, installing Debian's package when we are root; undefined (with a message) otherwise. */
function ensureExiftool(): boolean {
  const has = (): boolean => spawnSync('exiftool', ['-ver'], { stdio: 'ignore' }).status === 0;
  if (has()) return true;
  if (process.getuid?.() === 0) {
    log('exiftool not found; installing libimage-exiftool-perl with apt-get…');
    spawnSync('apt-get', ['install', '-y', 'libimage-exiftool-perl'], { stdio: 'ignore' });
    if (has()) return true;
  }
  log('exiftool not found: skipping the ExifTool peer. Install it with `apt-get install libimage-exiftool-perl`.');
  return false;
}

// Tags ExifTool emits for any file from the file system alone, whatever its content.
const SYSTEM_TAG = /^(SourceFile|ExifToolVersion|Directory|File[A-Za-z]*|MIMEType|Error|Warning)$/;

function timed(argv: string[]): { seconds: number; stdout: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // exiftool exits 1 when some file could not be read; its JSON is still complete.
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited with ${r.status ?? r.signal}: ${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

function runExiftool(dir: string): { run: Run; startupSeconds: number; paths: Set<string> } {
  // Start-up: the best of three `-ver` runs, so a cold disk cache does not inflate it.
  const startupSeconds = Math.min(...[0, 1, 2].map(() => timed(['exiftool', '-ver']).seconds));
  timed(['exiftool', '-j', '-r', '-q', dir]); // warm-up: the file cache, as ours reads into memory first
  const { seconds, stdout } = timed(['exiftool', '-j', '-r', '-q', dir]);
  const entries = JSON.parse(stdout) as Record<string, unknown>[];
  const withMetadata = entries.filter((e) => Object.keys(e).some((k) => !SYSTEM_TAG.test(k))).length;
  const paths = new Set(entries.map((e) => resolve(String(e['SourceFile']))));
  return { run: { files: entries.length, seconds, withMetadata }, startupSeconds, paths };
}

async function main(): Promise<void> {
  if (existsSync(TASKSET) && process.env[PINNED_ENV] !== '1') {
    // Re-run this script pinned to CPU 0 (exiftool, a child, inherits the affinity).
    const r = spawnSync(TASKSET, ['-c', '0', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, [PINNED_ENV]: '1' },
    });
    process.exit(r.status ?? 1);
  }
  const dir = join(repoRoot(), '..', 'shared', 'corpus', 'documents');
  if (!existsSync(dir)) throw new Error(`corpus not found at ${dir}: the bench expects ../shared/corpus/documents beside the repo`);

  const files = listFiles(dir).map((p) => ({ path: resolve(p), name: relative(dir, p), bytes: readFileSync(p) }));
  log(`ours: ${files.length} files read into memory; warm-up pass, then timed pass, metadata only then with text…`);
  const ours = await runOurs(files, { text: false });
  const oursText = await runOurs(files, { text: true });
  const peer = ensureExiftool() ? runExiftool(dir) : undefined;
  // ExifTool skips files of types it does not know when scanning a folder: also time ours on its set.
  const sameFiles = peer ? files.filter((f) => peer.paths.has(f.path)) : undefined;
  const oursSame = sameFiles ? await runOurs(sameFiles, { text: false }) : undefined;
  const oursSameText = sameFiles ? await runOurs(sameFiles, { text: true }) : undefined;
  const lost = await fieldLosses(files);

  const rate = (r: Run, seconds = r.seconds): number => r.files / seconds;
  const fmt = (n: number, digits: number): string => n.toFixed(digits);
  const rows: string[][] = [
    ['tamis, metadata only', String(ours.files), fmt(ours.seconds, 3), fmt(rate(ours), 1), '', String(ours.withMetadata)],
    ['tamis, metadata + text', String(oursText.files), fmt(oursText.seconds, 3), fmt(rate(oursText), 1), '', String(oursText.withMetadata)],
  ];
  if (peer && oursSame && oursSameText) {
    rows.push(['tamis on exiftool\'s files, metadata only', String(oursSame.files), fmt(oursSame.seconds, 3), fmt(rate(oursSame), 1), fmt(rate(oursSame) / rate(peer.run), 2), String(oursSame.withMetadata)]);
    rows.push(['tamis on exiftool\'s files, + text', String(oursSameText.files), fmt(oursSameText.seconds, 3), fmt(rate(oursSameText), 1), fmt(rate(oursSameText) / rate(peer.run), 2), String(oursSameText.withMetadata)]);
    const { run, startupSeconds } = peer;
    const noStartup = Math.max(run.seconds - startupSeconds, 1e-9);
    rows.push(['exiftool -j -r -q (batch)', String(run.files), fmt(run.seconds, 3), fmt(rate(run), 1), fmt(rate(ours) / rate(run), 2), String(run.withMetadata)]);
    rows.push([`exiftool minus start-up (${fmt(startupSeconds, 3)} s)`, String(run.files), fmt(noStartup, 3), fmt(rate(run, noStartup), 1), fmt(rate(ours) / rate(run, noStartup), 2), '']);
  }
  console.log(`Metadata extraction over ${dir}`);
  console.log(process.env[PINNED_ENV] === '1' ? 'Pinned to CPU 0 (taskset -c 0); Node runs extraction on one thread.' : 'taskset not found: not pinned (Node runs extraction on one thread).');
  console.log(formatTable(['peer', 'files', 'seconds', 'files/s', 'ours/exiftool', 'with metadata'], rows));
  console.log(`ours (metadata only), slowest files: ${(ours.slowest ?? []).map((f) => `${f.name} ${fmt(f.seconds * 1000, 0)} ms`).join('; ')}`);
  console.log(`ours (with text), slowest files: ${(oursText.slowest ?? []).map((f) => `${f.name} ${fmt(f.seconds * 1000, 0)} ms`).join('; ')}`);
  console.log(`fields lost by the metadata-only pass: ${lost.length} of ${files.length} files differ${lost.length ? ` (${lost.slice(0, 10).join(', ')})` : ''}`);
  if (peer && oursSame) {
    const ratio = rate(oursSame) / rate(peer.run);
    const ok = ratio >= TARGET_RATIO && lost.length === 0;
    console.log(`target: ours ≥ ${TARGET_RATIO}× ExifTool's batch rate on the same files, metadata only, no field lost → ${fmt(ratio, 2)}× ${ok ? 'PASS' : 'FAIL'}`);
  } else {
    console.log('target: not checked (ExifTool unavailable)');
  }
}

await main();
