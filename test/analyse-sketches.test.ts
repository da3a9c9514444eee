// Near-copy sketches are stored when text is extracted, so comparing a case reads only candidate
// texts; a case made before sketches existed (no rows) gives the same findings.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseCase } from '../src/analyse/index.js';
import { runDocumentChecks } from '../src/analyse/documents.js';
import { Ingestor } from '../src/ingest/pipeline.js';
import { Case } from '../src/store/case.js';
import { write } from './helpers/dump.js';

const MEMO = Array.from({ length: 60 }, (_, i) => `Ligne ${i} du budget de la campagne: ${1000 + i * 37} euros pour la salle ${i % 7}.`).join('\n');

describe('near-copy sketches in the case', () => {
  it('stores one per text, finds the near copy from them, and falls back to texts when a case has none', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tamis-sketch-'));
    write(join(root, 'dump'), 'a/budget.txt', MEMO);
    write(join(root, 'dump'), 'b/budget-v2.txt', MEMO.replace('1185 euros', '9185 euros'));
    write(join(root, 'dump'), 'c/note.txt', 'Trop court.');
    const kase = await Case.open(join(root, 'case'));
    await new Ingestor(kase).ingest([join(root, 'dump')]);
    await analyseCase(kase);
    const id = (p: string): number => kase.allOccurrences().find((o) => o.path.endsWith(p))!.itemId;
    expect(kase.sketchOf(id('budget.txt'))?.length).toBe(2 + 4 * 128);
    expect(kase.sketchOf(id('note.txt'))?.length).toBe(0);
    const nearCopies = (): string[] =>
      kase.allFindings().filter((f) => f.check === 'doc.near-copy').map((f) => `${f.itemId} ${f.message}`).sort();
    const found = nearCopies();
    const [a, b] = [id('budget.txt'), id('budget-v2.txt')];
    expect(found).toEqual([`${a} near copy of item #${b} (1 difference)`, `${b} near copy of item #${a} (1 difference)`].sort());
    kase.db.exec('DELETE FROM sketches');
    await runDocumentChecks(kase);
    expect(nearCopies()).toEqual(found);
    kase.close();
  });
});
