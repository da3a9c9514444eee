// What a newcomer meets first on the command line: help, exit codes, --json, closed pipes, dates,
// and summaries that say plainly which signed mail could not be checked.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleDump } from '../scripts/make-sample-dump.js';
import { tamis } from './helpers/cli.js';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');

describe('tamis command line conventions', () => {
  let dir: string;
  let dump: string;
  let keys: string;
  let noKeys: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tamis-cli-'));
    dump = join(dir, 'sample', 'dump');
    await makeSampleDump(dump);
    keys = join(dir, 'sample', 'keys.jsonl');
    noKeys = join(dir, 'case-nokeys');
    const r = tamis(['ingest', dump, '--case', noKeys, '--quiet']);
    expect(r.status, r.stderr).toBe(2); // the sample holds one damaged zip on purpose
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('bare `tamis` prints the help on stdout and exits 0', () => {
    const r = tamis([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: tamis/);
    expect(r.stdout).toContain('ingest');
  });

  it('a missing path is an error: exit 1, a message naming it, and no case folder created', () => {
    const kase = join(dir, 'typo-case');
    const r = tamis(['ingest', join(dir, 'no-such-dump'), '--case', kase]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no-such-dump: no such file or folder');
    expect(r.stderr).toContain('no case was created');
    expect(existsSync(kase)).toBe(false);
  });

  it('dates are ISO 8601 only: 01/06/2017 is refused with the accepted forms, before any case is made', () => {
    const kase = join(dir, 'date-case');
    const r = tamis(['ingest', dump, '--case', kase, '--cutoff', '01/06/2017']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--cutoff 01/06/2017 is not an ISO 8601 date');
    expect(r.stderr).toContain('YYYY-MM-DD');
    expect(existsSync(kase)).toBe(false);
    for (const bad of ['2017-13-01', '2017-02-30', 'June 1 2017', '2017-06-01T10:00']) {
      expect(tamis(['case', 'set', '--case', noKeys, '--cutoff', bad]).stderr).toContain('is not an ISO 8601 date');
    }
  });

  it('case set accepts ISO days and timestamps and prints its summary as JSON with --json', () => {
    const r = tamis(['case', 'set', '--case', noKeys, '--cutoff', '2017-05-05', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { items: number; byVerdict: Record<string, number> };
    expect(doc.items).toBe(42);
    const t = tamis(['case', 'set', '--case', noKeys, '--cutoff', '2017-05-05T12:00:00+02:00', '--json']);
    expect(t.status, t.stderr).toBe(0);
    const report = JSON.parse(tamis(['report', '--case', noKeys, '--json']).stdout) as { case: { cutoff: string } };
    expect(report.case.cutoff).toBe('2017-05-05T10:00:00.000Z');
  });

  it('without keys, the ingest summary says how many signed emails were not checked, which keys are missing and how to fix it', () => {
    const r = tamis(['ingest', dump, '--case', noKeys]);
    expect(r.stdout).toContain('25 of 25 signed emails could not be checked');
    expect(r.stdout).toContain('No key for: d=campaign.example s=s2017 (19 emails)');
    expect(r.stdout).toContain('--keys FILE');
    expect(r.stdout).toContain('--dns');
  });

  it('with keys covering part of the mail, the summary names only the keys still missing', () => {
    const partial = join(dir, 'partial.jsonl');
    const lines = readFileSync(keys, 'utf8').trim().split('\n');
    writeFileSync(partial, `${lines.filter((l) => l.includes('"s2017"')).join('\n')}\n`);
    const r = tamis(['ingest', dump, '--case', join(dir, 'case-partial'), '--keys', partial, '--json']);
    expect(r.status, r.stderr).toBe(2);
    const doc = JSON.parse(r.stdout) as { signatures: { signedEmails: number; uncheckedEmails: number; missingKeys: { d: string; s: string }[] } };
    expect(doc.signatures.signedEmails).toBe(25);
    expect(doc.signatures.uncheckedEmails).toBe(6); // bulk.example signs two messages
    expect(doc.signatures.missingKeys.map((k) => `${k.d}/${k.s}`).sort()).toEqual([
      'agency.example/sel1',
      'bulk.example/mkt',
      'campaign.example/s2016',
      'mail.partner.example/ed2017',
      'weak.example/s512',
    ]);
  });

  it('the report says it too, and `show` says the signature of a consistent message was not checked', () => {
    const md = tamis(['report', '--case', noKeys, '--format', 'md']).stdout;
    expect(md).toContain('## Signatures not checked');
    expect(md).toContain('25 of 25 signed emails could not be checked');
    const json = JSON.parse(tamis(['report', '--case', noKeys, '--format', 'json']).stdout) as {
      summary: { signatures: { uncheckedEmails: number } };
      items: { id: number; verdict: string; findings: { check: string }[] }[];
    };
    expect(json.summary.signatures.uncheckedEmails).toBe(25);
    const consistent = json.items.find((i) => i.verdict === 'consistent' && i.findings.some((f) => f.check === 'dkim.no-key'));
    expect(consistent).toBeDefined();
    const shown = tamis(['show', String(consistent?.id), '--case', noKeys]).stdout;
    expect(shown).toMatch(/Not checked: The DKIM signature \(d=\S+ s=\S+\) was not checked: no public key/);
    expect(shown).not.toMatch(/\[\]|null/); // metadata as readable fields, not raw JSON
  });

  it('every command that prints results has --json', () => {
    const help = (cmd: string[]): string => tamis([...cmd, '--help']).stdout;
    for (const cmd of [['ingest'], ['case', 'set'], ['report'], ['show'], ['export']]) expect(help(cmd), cmd.join(' ')).toContain('--json');
    const ex = tamis(['export', '1', '--case', noKeys, '--bundle', join(dir, 'bundle-json'), '--json']);
    expect(ex.status, ex.stderr).toBe(0);
    expect((JSON.parse(ex.stdout) as { items: number[] }).items).toEqual([1]);
  });

  it('writing to a closed pipe (`tamis report | head -1`) exits quietly', async () => {
    const child = spawn(process.execPath, ['--import', tsx, MAIN, 'report', '--case', noKeys, '--format', 'html'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first byte
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});
