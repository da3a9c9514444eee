// The false-alarm bench's authentic-only dump at a tiny size, through the real CLI ingest: no authentic
// item tampered, every check's false-alarm rate within the bench's target (bench/false-alarms).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFalseAlarmDump } from '../bench/false-alarms/generate.js';
import { describeFalseAlarms, falseAlarmsByCheck, scoreCase, summary, TARGETS, type ScoredItem } from '../bench/false-alarms/score.js';
import { tamis } from './helpers/cli.js';

describe('false-alarm bench, tiny size: authentic mail and documents stay unflagged', () => {
  let base: string;
  let items: ScoredItem[];
  let unlabelled: string[];

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'tamis-false-alarms-test-'));
    const lab = await writeFalseAlarmDump(base, { seed: 7, threads: 4, forgeries: false });
    const run = tamis(['ingest', lab.dump, '--case', join(base, 'case'), '--keys', lab.keys, '--cutoff', lab.cutoff, ...lab.orgDomains.flatMap((d) => ['--org', d]), '--quiet']);
    if (run.status !== 0) throw new Error(`tamis ingest exited with ${run.status}: ${run.stderr}`);
    ({ items, unlabelled } = await scoreCase(join(base, 'case'), lab.labels));
  }, 120_000);
  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('holds every benign phenomenon, all labelled and all authentic', () => {
    expect(unlabelled).toEqual([]);
    expect(items.every((s) => s.label.authentic)).toBe(true);
    const groups = new Set(items.map((s) => s.label.group));
    for (const g of ['charset', 'sent-variant', 'list-arc', 'list-reencoded', 'provider-arc', 'unarchived-key', 'partial-keys', 'revision-chain', 'scan', 'forwarded', 'thread']) {
      expect(groups, g).toContain(g);
    }
  });

  it('no authentic item is tampered; flagged items and each check stay within the targets', () => {
    const s = summary(items);
    expect(s.tampered).toBe(TARGETS.tampered);
    expect(s.falseAlarmRate, describeFalseAlarms(items).join('\n')).toBeLessThanOrEqual(TARGETS.falseAlarmRate);
    for (const c of falseAlarmsByCheck(items)) expect(c.rate, `${c.check}: ${describeFalseAlarms(items).join('\n')}`).toBeLessThanOrEqual(TARGETS.falseAlarmRate);
  });

  it('shows revision chains as leads, with the diff, and verifies provider-sealed mail', () => {
    const leads = items.filter((s) => s.label.group === 'revision-chain').flatMap((s) => s.findings.filter((f) => f.check === 'doc.near-copy-of-verified'));
    expect(leads.length).toBeGreaterThan(0);
    expect(leads.every((f) => f.severity === 'info' && f.evidence['versionChain'] === 'consistent')).toBe(true);
    const sealed = items.filter((s) => s.label.group === 'provider-arc' && s.label.expect === 'verified');
    expect(sealed.length).toBeGreaterThan(0);
    expect(sealed.map((s) => s.verdict)).toEqual(sealed.map(() => 'verified'));
  });
});
