// The forgery lab as one dump: what each check catches, what it leaves alone, and the overall figures.
// Also the real corpora, as material on which these checks must not cry wolf.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emailFactsFromRaw, type EmailFacts } from '../src/checks/corpus.js';
import { emailChecks, mailerFingerprint, receivedOrder, threadQuote } from '../src/checks/email/index.js';
import type { Finding } from '../src/model.js';
import { buildForgeryLab, labFacts, type LabItem } from './fixtures/forgery-lab.js';
import { describeCorpus } from './helpers/corpus.js';

const alarm = (f: Finding): boolean => f.severity !== 'info';

describe('forgery lab', () => {
  let items: LabItem[];
  let results: Map<string, Map<number, Finding[]>>;
  beforeAll(async () => {
    items = buildForgeryLab();
    const facts = await labFacts(items);
    results = new Map(emailChecks.map((c) => [c.meta.id, c.run(facts, { orgDomains: ['campaign.example'] })]));
  });
  const alarmed = (check: string, id: number): boolean => (results.get(check)?.get(id) ?? []).some(alarm);
  const anyAlarm = (id: number): boolean => emailChecks.some((c) => alarmed(c.meta.id, id));

  it('is a plausible dump: many authentic items, forgeries of every kind', () => {
    const forged = items.filter((i) => i.forgedFor);
    expect(items.length - forged.length).toBeGreaterThan(150);
    for (const c of emailChecks) expect(forged.filter((i) => i.forgedFor === c.meta.id).length).toBeGreaterThanOrEqual(2);
    expect(items.filter((i) => i.extra.verified).length).toBeGreaterThan(50);
    expect(items.filter((i) => /Sent/.test(i.extra.occurrencePaths?.[0] ?? '')).length).toBeGreaterThan(30);
  });

  it.each(emailChecks.map((c) => c.meta.id))('%s catches its forgeries', (check) => {
    const mine = items.filter((i) => i.forgedFor === check);
    const missed = mine.filter((i) => !alarmed(check, i.id)).map((i) => i.note);
    expect(missed).toEqual([]);
  });

  it('recall ≥ 0.95 and false alarms ≤ 2 % overall and per check', () => {
    const forged = items.filter((i) => i.forgedFor);
    const authentic = items.filter((i) => !i.forgedFor);
    const rows: string[] = [];
    for (const c of emailChecks) {
      const mine = forged.filter((i) => i.forgedFor === c.meta.id);
      const recall = mine.filter((i) => alarmed(c.meta.id, i.id)).length / mine.length;
      const fa = authentic.filter((i) => alarmed(c.meta.id, i.id));
      rows.push(`${c.meta.id.padEnd(28)} recall ${recall.toFixed(2)} (${mine.length} forged)  false alarms ${fa.length}/${authentic.length} ${fa.map((i) => i.note).join('; ')}`);
      expect(recall).toBeGreaterThanOrEqual(0.95);
      expect(fa.length / authentic.length).toBeLessThanOrEqual(0.02);
    }
    const recall = forged.filter((i) => anyAlarm(i.id)).length / forged.length;
    const falseAlarms = authentic.filter((i) => anyAlarm(i.id)).length;
    rows.push(`${'all checks'.padEnd(28)} recall ${recall.toFixed(2)} (${forged.length} forged)  false alarms ${falseAlarms}/${authentic.length} (${((100 * falseAlarms) / authentic.length).toFixed(1)} %)`);
    console.log(`forgery lab\n${rows.join('\n')}`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(falseAlarms / authentic.length).toBeLessThanOrEqual(0.02);
  });

  it('corroborates originals quoted verbatim by verified replies', () => {
    const keys = [...(results.get('thread.quote') ?? [])].flatMap(([id, fs]) =>
      fs.filter((f) => f.severity === 'info').map((f) => `${id}|${JSON.stringify(f.evidence.counterpart)}`));
    expect(keys.length).toBeGreaterThan(20);
    // Never twice for the same original and reply (its Sent and Inbox copies count once).
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([1, 2, 3, 42, 1234])('other seed %i: every forgery caught, no false alarm', async (seed) => {
    const other = buildForgeryLab(seed);
    const facts = await labFacts(other);
    const runs = emailChecks.map((c) => c.run(facts, { orgDomains: ['campaign.example'] }));
    const flagged = (id: number): boolean => runs.some((r) => (r.get(id) ?? []).some(alarm));
    expect(other.filter((i) => i.forgedFor && !flagged(i.id)).map((i) => i.note)).toEqual([]);
    expect(other.filter((i) => !i.forgedFor && flagged(i.id)).map((i) => i.note)).toEqual([]);
  });

  it('is deterministic', async () => {
    const again = await labFacts(buildForgeryLab());
    const first = [...(results.get('thread.quote') ?? [])];
    expect([...threadQuote.run(again, { orgDomains: ['campaign.example'] })]).toEqual(first);
  });
});

describeCorpus('real corpora (shared/corpus/dkim)', () => {
  const root = '../shared/corpus/dkim/messages';
  let files: string[];
  let facts: EmailFacts[];
  beforeAll(async () => {
    files = readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('.eml')).sort();
    facts = await Promise.all(files.map((f, i) => emailFactsFromRaw(i + 1, readFileSync(join(root, f)), {})));
  });
  const fileOf = (id: number): string => files[id - 1]!;

  it('runs every check over 269 real messages without throwing', () => {
    expect(files.length).toBe(269);
    for (const c of emailChecks) expect(() => c.run(facts, { orgDomains: [] })).not.toThrow();
  });
  it('no client contradictions and no quote alarms on real mail', () => {
    expect([...mailerFingerprint.run(facts, { orgDomains: [] }).keys()].map(fileOf)).toEqual([]);
    expect([...threadQuote.run(facts, { orgDomains: [] }).keys()].map(fileOf)).toEqual([]);
  });
  it('received.order is silent on real iCloud, Gmail and locally generated mail', () => {
    const flagged = [...receivedOrder.run(facts, { orgDomains: [] }).keys()].map(fileOf);
    expect(flagged.filter((f) => /^(zk-email|dkimpy|generated|rfc8463)\//.test(f))).toEqual([]);
  });
  it('received.order flags the hand-edited dates of the Mail::DKIM test corpus', () => {
    const id = files.indexOf('mail-dkim/good_83176.eml') + 1;
    const f = receivedOrder.run(facts.filter((x) => x.itemId === id), { orgDomains: [] }).get(id);
    expect(f?.[0]?.message).toMatch(/Date: is \d+ days after the first server received it/);
  });
});
