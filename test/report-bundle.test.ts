// Evidence bundles: exported from the real sample case through the CLI, then re-checked from the bundle alone.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleDump } from '../scripts/make-sample-dump.js';
import type { CaseReport, ReportItem } from '../src/report/index.js';
import { recheckCommand } from '../src/report/bundle-readme.js';
import { tamis } from './helpers/cli.js';

let dir: string;
let caseDir: string;
let full: CaseReport;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const reportOf = (kaseDir: string): CaseReport => {
  const r = tamis(['report', '--case', kaseDir, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as CaseReport;
};
const itemAt = (r: CaseReport, suffix: string): ReportItem => {
  const it = r.items.find((i) => i.occurrences.some((o) => o.path.endsWith(suffix)));
  if (!it) throw new Error(`no item at ${suffix}`);
  return it;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tamis-bundle-'));
  await makeSampleDump(join(dir, 'dump'));
  caseDir = join(dir, 'case');
  const r = tamis(['ingest', join(dir, 'dump'), '--keys', join(dir, 'keys.jsonl'), '--case', caseDir, '--quiet']);
  expect([0, 2]).toContain(r.status); // 2: the sample has a deliberately damaged zip
  full = reportOf(caseDir);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tamis export --bundle', () => {
  it('writes originals, carriers, keys, manifest, report and README, and the bundle alone reproduces the verdicts', () => {
    const attachment = itemAt(full, 'docs/finances/budget-reunions-2017.csv'); // verified through the email carrying it
    const tampered = itemAt(full, 'inbox/009.eml');
    const partner = itemAt(full, 'inbox/003.eml'); // ed25519 key of another domain
    const weak = itemAt(full, 'inbox/015.eml'); // 512-bit key: suspicious
    const arc = itemAt(full, 'inbox/017.eml'); // list modification explained by ARC
    expect([attachment.verdict, tampered.verdict, partner.verdict, weak.verdict, arc.verdict]).toEqual([
      'verified',
      'tampered',
      'verified',
      'suspicious',
      'consistent',
    ]);
    const out = join(dir, 'bundle');
    const refs = [String(attachment.id), tampered.sha256.slice(0, 10), String(partner.id), String(weak.id), String(arc.id)];
    const r = tamis(['export', '--bundle', out, ...refs, '--case', caseDir]);
    expect(r.status, r.stderr).toBe(0);

    // The carrier is the verified email whose attachment is the csv: the provenance finding names it.
    const inherited = attachment.findings.find((f) => f.check === 'provenance.inherited');
    const carrierId = inherited?.evidence['carrier'];
    const carrier = full.items.find((i) => i.id === carrierId);
    expect(carrier?.verdict).toBe('verified');
    const exported = [attachment, tampered, partner, weak, arc];
    const expectedHashes = [...exported, carrier as ReportItem].map((i) => i.sha256).sort();

    // originals/ holds exactly those bytes, each under its own hash; the manifest lists them for sha256sum -c.
    const originals = readdirSync(join(out, 'originals')).sort();
    expect(originals).toEqual(expectedHashes);
    for (const h of originals) expect(sha(readFileSync(join(out, 'originals', h)))).toBe(h);
    expect(readFileSync(join(out, 'MANIFEST.sha256'), 'utf8')).toBe(expectedHashes.map((h) => `${h}  originals/${h}\n`).join(''));

    // keys.jsonl: archive.prove.email records for every (d, s) signing these items, and no other.
    const keys = readFileSync(join(out, 'keys.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    const pairs = [...new Set(keys.map((k) => `${k['domain']}/${k['selector']}`))].sort();
    expect(pairs).toEqual(['campaign.example/s2017', 'lists.example/arc2017', 'mail.partner.example/ed2017', 'weak.example/s512']);
    for (const k of keys) expect(Object.keys(k)).toEqual(expect.arrayContaining(['domain', 'selector', 'value', 'source']));

    // report.json: the contract, restricted to the exported items and their carrier.
    const bundled = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as CaseReport;
    expect(bundled.items.map((i) => i.sha256).sort()).toEqual(expectedHashes);
    expect(bundled.summary.items).toBe(6);
    expect(bundled.keys.map((k) => `${k.domain}/${k.selector}`).sort()).toEqual(pairs);

    // README: each item with its hash, verdict and the re-check command.
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    for (const it of exported) expect(readme).toContain(`| #${it.id} | \`${it.sha256}\``);
    const run = 'npm exec --prefix tamis -- tamis';
    expect(readme).toContain(`${run} ingest originals --keys keys.jsonl --case recheck && ${run} report --case recheck --format md`);
    // A reader who never installed tamis: no npm package to fetch, the source is cloned and built.
    expect(readme).not.toContain('npx tamis');
    // No invented address: the publisher's TAMIS_SOURCE_URL, or a placeholder the README explains.
    expect(readme).toContain("git clone '<tamis source repository URL>' tamis");
    expect(readme).toMatch(/made with tamis \d+\.\d+\.\d+;/);
    expect(readme).toContain('npm install --prefix tamis --no-audit --no-fund && npm run --prefix tamis build');
    expect(readme).toContain('sha256sum -c MANIFEST.sha256');

    // The re-check, exactly as the README says, from inside the bundle folder: same verdicts, by hash.
    expect(tamis(['ingest', 'originals', '--keys', 'keys.jsonl', '--case', 'recheck', '--quiet'], out).status).toBe(0);
    const again = reportOf(join(out, 'recheck'));
    const verdictByHash = (rep: CaseReport) => Object.fromEntries(rep.items.map((i) => [i.sha256, i.verdict]));
    const before = verdictByHash(full);
    const after = verdictByHash(again);
    for (const h of expectedHashes) expect({ h, verdict: after[h] }).toEqual({ h, verdict: before[h] });
    const md = tamis(['report', '--case', 'recheck', '--format', 'md'], out);
    expect(md.status).toBe(0);
    expect(md.stdout).toContain(tampered.sha256);
  }, 120_000);

  it('marks verdicts that rest on the rest of the dump, and those are the ones a re-check cannot reproduce', () => {
    const habit = full.items.find((i) => i.findings.some((f) => f.check === 'dkim.signing-habit' && f.severity === 'warning'));
    expect(habit?.verdict).toBe('suspicious');
    const out = join(dir, 'bundle-habit');
    expect(tamis(['export', '--bundle', out, String(habit?.id), '--case', caseDir]).status).toBe(0);
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    expect(readme).toContain(`**suspicious** ¹`);
    expect(readme).toContain(`#${habit?.id} (\`dkim.signing-habit\`)`);
    expect(tamis(['ingest', 'originals', '--keys', 'keys.jsonl', '--case', 'recheck', '--quiet'], out).status).toBe(0);
    const again = reportOf(join(out, 'recheck'));
    expect(again.items.find((i) => i.sha256 === habit?.sha256)?.verdict).not.toBe('suspicious');
  }, 120_000);

  it('refuses an unknown item and a non-empty folder, and says what to do', () => {
    const unknown = tamis(['export', '--bundle', join(dir, 'never'), '999999', '--case', caseDir]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/No item 999999 in the case at .*Use an item id or a SHA-256 prefix/);
    expect(existsSync(join(dir, 'never'))).toBe(false);

    const busy = join(dir, 'busy');
    mkdirSync(join(busy, 'originals'), { recursive: true });
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    writeFileSync(join(busy, 'originals', 'stale'), 'old');
    const id = String(full.items[0]?.id);
    const refused = tamis(['export', '--bundle', busy, id, '--case', caseDir]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/is not empty .*--force/);
    expect(readdirSync(join(busy, 'originals'))).toEqual(['stale']);

    const forced = tamis(['export', '--bundle', busy, id, '--force', '--case', caseDir]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readdirSync(join(busy, 'originals'))).toEqual([full.items[0]?.sha256]);
    expect(readFileSync(join(busy, 'notes.txt'), 'utf8')).toBe('mine');
  }, 60_000);
});

describe('re-check command', () => {
  it('carries the case settings the verdicts depend on (cut-off date, organisation domains), shell-quoted', () => {
    const base = { ...full, case: { path: 'x' } };
    expect(recheckCommand(base)).toBe(
      'npm exec --prefix tamis -- tamis ingest originals --keys keys.jsonl --case recheck && npm exec --prefix tamis -- tamis report --case recheck --format md',
    );
    const withSettings = { ...full, case: { path: 'x', cutoff: '2017-05-05T23:59:59.999Z', orgDomains: ['campaign.example', "o'dd domain"] } };
    expect(recheckCommand(withSettings)).toBe(
      "npm exec --prefix tamis -- tamis ingest originals --keys keys.jsonl --cutoff 2017-05-05T23:59:59.999Z --org campaign.example --org 'o'\\''dd domain' " +
        '--case recheck && npm exec --prefix tamis -- tamis report --case recheck --format md',
    );
  });
});
