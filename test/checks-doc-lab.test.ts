// The document forgery lab: what each document check catches, what it leaves alone, and the figures.
import { beforeAll, describe, expect, it } from 'vitest';
import { documentChecks } from '../src/checks/documents/index.js';
import type { Finding } from '../src/model.js';
import { buildDocLab, docLabFacts, ORG, type LabDoc } from './fixtures/doc-lab.js';

const alarm = (f: Finding): boolean => f.severity !== 'info';

describe('document forgery lab', () => {
  let items: LabDoc[];
  let results: Map<string, Map<number, Finding[]>>;
  beforeAll(async () => {
    items = buildDocLab();
    const facts = await docLabFacts(items);
    results = new Map(documentChecks.map((c) => [c.meta.id, c.run(facts, { orgDomains: ORG.domains, cutoff: ORG.cutoff })]));
  }, 120_000);
  const alarmed = (check: string, id: number): boolean => (results.get(check)?.get(id) ?? []).some(alarm);
  const anyAlarm = (id: number): boolean => documentChecks.some((c) => alarmed(c.meta.id, id));
  const checked = documentChecks.filter((c) => c.meta.severity !== 'info').map((c) => c.meta.id);

  it('is a plausible dump: many authentic files, several forgeries of every kind', () => {
    const forged = items.filter((i) => i.forgedFor);
    expect(items.length - forged.length).toBeGreaterThan(150);
    for (const id of checked) expect(forged.filter((i) => i.forgedFor === id).length).toBeGreaterThanOrEqual(5);
  });

  it.each(checked)('%s catches its forgeries', (check) => {
    const missed = items.filter((i) => i.forgedFor === check && !alarmed(check, i.id)).map((i) => i.note);
    expect(missed).toEqual([]);
  });

  it('recall ≥ 0.95 and false alarms ≤ 2 % per check and overall', () => {
    const forged = items.filter((i) => i.forgedFor);
    const authentic = items.filter((i) => !i.forgedFor);
    const rows: string[] = [];
    for (const check of checked) {
      const mine = forged.filter((i) => i.forgedFor === check);
      const recall = mine.filter((i) => alarmed(check, i.id)).length / mine.length;
      const fa = authentic.filter((i) => alarmed(check, i.id));
      rows.push(`${check.padEnd(28)} recall ${recall.toFixed(2)} (${mine.length} forged)  false alarms ${fa.length}/${authentic.length} ${fa.map((i) => i.note).join('; ')}`);
      expect(recall).toBeGreaterThanOrEqual(0.95);
      expect(fa.length / authentic.length).toBeLessThanOrEqual(0.02);
    }
    const recall = forged.filter((i) => anyAlarm(i.id)).length / forged.length;
    const fa = authentic.filter((i) => anyAlarm(i.id));
    rows.push(`${'all checks'.padEnd(28)} recall ${recall.toFixed(2)} (${forged.length} forged)  false alarms ${fa.length}/${authentic.length} (${((100 * fa.length) / authentic.length).toFixed(1)} %) ${fa.map((i) => i.note).join('; ')}`);
    console.log(`document forgery lab\n${rows.join('\n')}`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(fa.length / authentic.length).toBeLessThanOrEqual(0.02);
  });

  it('names the verified original and the changed cells of an altered budget', () => {
    const forgery = items.find((i) => i.note === 'budget with three amounts changed 0')!;
    const f = results.get('doc.near-copy-of-verified')?.get(forgery.id)?.[0];
    expect(f?.severity).toBe('critical');
    expect(f?.proof).toBeUndefined();
    const counterpart = items.find((i) => i.id === f?.evidence['counterpart']);
    expect(counterpart?.verified).toBe(true);
    const changed = f?.evidence['changedCells'] as { ref: string; original: string; this: string }[];
    expect(changed.map((c) => c.ref)).toEqual(['B3', 'B4', 'B5']);
    for (const c of changed) expect(Number(c.this) - Number(c.original)).toBe(1000);
  });

  it('notes drafts as near copies without alarm, and an identical loose copy of a verified budget as info', () => {
    const [d1, d2] = ['draft 1', 'draft 2'].map((n) => items.find((i) => i.note === n)!);
    const f = results.get('doc.near-copy')?.get(d1!.id) ?? [];
    expect(f.map((x) => x.evidence['counterpart'])).toContain(d2!.id);
    const copy = items.find((i) => i.note.startsWith('loose copy of a verified budget'))!;
    expect((results.get('doc.near-copy-of-verified')?.get(copy.id) ?? []).map((x) => x.severity)).toEqual(['info']);
  });
});
