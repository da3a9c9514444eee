import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSampleDump } from '../scripts/make-sample-dump.js';
import { tamis } from './helpers/cli.js';

interface Expected {
  items: Record<string, { verdict: string; reason: string; sha256: string }>;
}


describe('the bundled sample dump, end to end through the CLI', () => {
  const base = mkdtempSync(join(tmpdir(), 'tamis-sample-'));
  const dump = join(base, 'dump');
  const caseDir = join(base, 'case');

  it('gives every item the verdict the sample was built to show', async () => {
    await makeSampleDump(dump);
    const ingest = tamis(['ingest', 'dump', '--case', caseDir, '--keys', 'keys.jsonl', '--quiet'], base);
    // 2: the sample holds a damaged zip on purpose; everything else is read
    expect(ingest.status, ingest.stderr).toBe(2);
    expect(ingest.stderr).toContain('damaged.zip');
    expect(ingest.stdout).toMatch(/verified\s+\d+/);

    const rep = tamis(['report', '--case', caseDir, '--format', 'json'], base);
    expect(rep.status, rep.stderr).toBe(0);
    const report = JSON.parse(rep.stdout) as { items: { sha256: string; verdict: string; verdictReason: string; occurrences: { path: string }[] }[] };
    const expected = JSON.parse(readFileSync(join(base, 'expected.json'), 'utf8')) as Expected;
    const bySha = new Map(report.items.map((i) => [i.sha256, i]));
    const disagreements: string[] = [];
    for (const [path, want] of Object.entries(expected.items)) {
      const got = bySha.get(want.sha256);
      if (!got) disagreements.push(`${path}: missing from the case`);
      else if (got.verdict !== want.verdict) disagreements.push(`${path}: expected ${want.verdict}, got ${got.verdict} (${got.verdictReason})`);
    }
    console.log(`sample verdicts: ${Object.keys(expected.items).length - disagreements.length}/${Object.keys(expected.items).length} as built`);
    expect(disagreements).toEqual([]);
  });

  it('shows one item by id and by SHA-256 prefix, and writes every report format', () => {
    const byId = tamis(['show', '1', '--case', caseDir], base);
    expect(byId.status, byId.stderr).toBe(0);
    const json = tamis(['show', '1', '--case', caseDir, '--json'], base);
    const item = JSON.parse(json.stdout) as { sha256: string; id: number };
    expect(item.id).toBe(1);
    const byPrefix = tamis(['show', item.sha256.slice(0, 10), '--case', caseDir], base);
    expect(byPrefix.stdout).toBe(byId.stdout);
    const missing = tamis(['show', '999999', '--case', caseDir], base);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/No item 999999/);
    for (const format of ['html', 'md', 'csv']) {
      const out = join(base, `report.${format}`);
      const r = tamis(['report', '--case', caseDir, '--format', format, '--out', out], base);
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(out, 'utf8').length).toBeGreaterThan(1000);
    }
  });

  it('re-ingesting the same dump adds nothing', () => {
    const again = tamis(['ingest', 'dump', '--case', caseDir, '--keys', 'keys.jsonl', '--quiet'], base);
    expect(again.stdout).toMatch(/\(0 new items, 0 new occurrences\)/);
  });

  it('says what to do when the case does not exist', () => {
    const r = tamis(['report', '--case', join(base, 'nope'), '--format', 'json'], base);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/No case found.*tamis ingest/);
  });
});
