// Reports get published: no output may carry the journalist's local folders. The case and the dump
// sit under a folder with a recognisable name, and every output is searched for it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleDump } from '../scripts/make-sample-dump.js';
import { buildServer } from '../src/server/app.js';
import type { CaseReport } from '../src/report/index.js';
import { tamis } from './helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '..');

let home: string;
let caseDir: string;
let dumpDir: string;
let report: CaseReport;

/** Every local absolute path the outputs could leak, and the folder name of this machine's user. */
const leaks = (): string[] => [caseDir, dumpDir, home, 'journalist-home'];

function expectClean(what: string, text: string): void {
  for (const p of leaks()) expect(text.includes(p), `${what} contains ${p}`).toBe(false);
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'journalist-home-'));
  dumpDir = join(home, 'leak', 'dump');
  await makeSampleDump(dumpDir);
  caseDir = join(home, 'cases', 'macron');
  // Absolute paths everywhere, as a user pasting from a file manager would give them.
  const r = tamis(['ingest', dumpDir, '--case', caseDir, '--keys', join(home, 'leak', 'keys.jsonl'), '--org', 'campaign.example', '--quiet']);
  expect([0, 2], r.stderr).toContain(r.status);
  report = JSON.parse(tamis(['report', '--case', caseDir, '--format', 'json']).stdout) as CaseReport;
}, 120_000);

afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('no local path in anything tamis writes for publication', () => {
  it('report in every format', () => {
    for (const format of ['json', 'html', 'md', 'csv']) {
      const r = tamis(['report', '--case', caseDir, '--format', format]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(1000);
      expectClean(`report --format ${format}`, r.stdout);
    }
    // Named relative to the case instead: its folder name, the dump root, the key file by its own name.
    expect(report.case.path).toBe('macron');
    expect(report.keys.map((k) => k.source)).toContain('keys.jsonl:2');
    expect(report.items.some((i) => i.occurrences.some((o) => o.path.startsWith('dump/inbox/')))).toBe(true);
  });

  it('`show` as text and JSON, for an item of each verdict and kind', () => {
    const picked = new Map<string, (typeof report.items)[number]>();
    for (const it of report.items) if (!picked.has(it.verdict)) picked.set(it.verdict, it);
    for (const it of report.items) if (!picked.has(it.kind)) picked.set(it.kind, it);
    for (const it of picked.values()) {
      expectClean(`show ${it.id}`, tamis(['show', String(it.id), '--case', caseDir]).stdout);
      expectClean(`show ${it.id} --json`, tamis(['show', String(it.id), '--case', caseDir, '--json']).stdout);
    }
  }, 120_000);

  it('every file of an evidence bundle', () => {
    const out = join(home, 'bundle');
    const r = tamis(['export', '--bundle', out, ...report.items.map((i) => String(i.id)), '--case', caseDir]);
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['README.md', 'report.json', 'keys.jsonl', 'MANIFEST.sha256']) expectClean(`bundle ${f}`, readFileSync(join(out, f), 'utf8'));
    expect(readFileSync(join(out, 'keys.jsonl'), 'utf8')).toContain('"source":"keys.jsonl:2"');
  });

  it('every answer of the workbench API', async () => {
    const web = join(home, 'web');
    mkdirSync(web, { recursive: true });
    const app: FastifyInstance = await buildServer({ caseDir, host: '127.0.0.1', webRoot: existsSync(join(ROOT, 'web', 'dist')) ? join(ROOT, 'web', 'dist') : web });
    try {
      const urls = [
        '/api/overview',
        '/api/search?q=',
        '/api/search?q=campaign',
        '/api/threads',
        '/api/graph',
        '/api/tags',
        '/api/tags.csv',
        '/api/report?format=html',
        '/api/report?format=json',
        '/api/report?format=md',
        '/api/report?format=csv',
        ...report.items.flatMap((i) => [`/api/items/${i.id}`, `/api/threads/${i.id}`]),
      ];
      for (const url of urls) {
        const res = await app.inject({ method: 'GET', url, headers: { host: '127.0.0.1:8080' } });
        expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
        expectClean(url, res.body);
      }
      const bundle = await app.inject({ method: 'GET', url: '/api/bundle?q=verdict:tampered', headers: { host: '127.0.0.1:8080' } });
      expect(bundle.statusCode, bundle.body.slice(0, 200)).toBe(200);
      expect(bundle.headers['content-type']).toBe('application/x-tar');
      expectClean('/api/bundle', bundle.rawPayload.toString('latin1'));
    } finally {
      await app.close();
    }
  }, 120_000);

  it('cases made before key sources were labelled are cleaned when reported', async () => {
    // A key stored with its absolute source, as older versions of tamis stored it.
    const { Case } = await import('../src/store/case.js');
    const kase = await Case.open(caseDir);
    kase.addKey({ domain: 'old.example', selector: 'k1', value: 'v=DKIM1; p=', source: join(home, 'leak', 'old-keys.jsonl:7') });
    kase.close();
    const md = tamis(['report', '--case', caseDir, '--format', 'md']).stdout;
    expectClean('report of an old case', md);
    expect(md).toContain('old-keys.jsonl:7');
  });
});

describe('a tampered email never contradicts itself', () => {
  it('the DKIM table names the key the finding says was tried, with its size and outcome, in JSON and Markdown', () => {
    const it = report.items.find((i) => i.findings.some((f) => f.check === 'dkim.header-signature' && f.proof === 'disproves'));
    expect(it?.verdict).toBe('tampered');
    const finding = it?.findings.find((f) => f.check === 'dkim.header-signature');
    // The finding names the key that provably made the signature (its source and size).
    const tried = { source: finding?.evidence['keySource'] as string, bits: finding?.evidence['keyBits'] as number };
    const row = (it?.metadata['dkim'] as { keySource: string | null; keyOutcome: string | null; keyBits: number | null }[])[0];
    expect(row).toMatchObject({ keySource: tried.source, keyBits: tried.bits });
    expect(row?.keyBits).toBe(2048);
    const md = tamis(['report', '--case', caseDir, '--format', 'md']).stdout;
    const section = md.slice(md.indexOf(`### #${it?.id} `), md.indexOf('### #', md.indexOf(`### #${it?.id} `) + 5));
    expect(section).toContain(`| 2048 | ${tried.source} (tried: signature does not verify with it) |`);
    expect(section).not.toContain('no key');
  });
});

describe('the bundle README works for a reader who never installed tamis', () => {
  const built = existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'));
  it.skipIf(!built)('its re-check commands, run in the bundle folder against a checkout of tamis, reproduce the verdicts', () => {
    const out = join(home, 'bundle-recheck');
    const tampered = report.items.find((i) => i.verdict === 'tampered');
    expect(tamis(['export', '--bundle', out, String(tampered?.id), '--case', caseDir]).status).toBe(0);
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    const recheck = /npm exec --prefix tamis -- tamis ingest .*/.exec(readme)?.[0];
    expect(recheck).toBeDefined();
    // The clone step, stood in for by this checkout: `tamis` next to the bundle files is the built source.
    execFileSync('ln', ['-s', ROOT, join(out, 'tamis')]);
    const r = spawnSync('sh', ['-c', recheck ?? 'false'], { cwd: out, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(tampered?.sha256);
    expect(r.stdout).toMatch(/#\d+ TAMPERED/);
    expect(statSync(join(out, 'recheck', 'case.db')).isFile()).toBe(true);
    expect(readdirSync(join(out, 'originals')).length).toBeGreaterThan(0);
  }, 120_000);
});
