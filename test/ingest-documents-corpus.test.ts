import { expect, it } from 'vitest';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Case } from '../src/store/case.js';
import { Ingestor } from '../src/ingest/pipeline.js';
import { analyseCase } from '../src/analyse/index.js';
import { describeCorpus } from './helpers/corpus.js';

const CORPUS = '../shared/corpus/documents';

function countFiles(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    n += statSync(p).isDirectory() ? countFiles(p) : 1;
  }
  return n;
}

describeCorpus('the whole shared documents corpus through ingest and analysis', () => {
  it('ingests every file with no crash, and every item that could not be read says why', async () => {
    const kase = await Case.open(mkdtempSync(join(tmpdir(), 'tamis-docs-')));
    const problems: string[] = [];
    const stats = await new Ingestor(kase, { onProblem: (p, m) => problems.push(`${p}: ${m}`) }).ingest([CORPUS]);
    await analyseCase(kase);
    const files = countFiles(CORPUS);
    const top = kase.allOccurrences().filter((o) => o.parentId === null);
    // every file of the corpus is an occurrence, nothing lost (symbolic links excepted: none here)
    expect(top.length).toBe(files);
    const unreadable = kase.allFindings().filter((f) => f.check.startsWith('ingest.'));
    for (const f of unreadable) expect(f.message.length, JSON.stringify(f)).toBeGreaterThan(5);
    const byKind = kase.items().reduce<Record<string, number>>((acc, i) => ({ ...acc, [i.kind]: (acc[i.kind] ?? 0) + 1 }), {});
    console.log(
      `documents corpus: ${files} files, ${stats.newItems} items (${JSON.stringify(byKind)}), ` +
        `${unreadable.length} reading findings on ${new Set(unreadable.map((f) => f.itemId)).size} items, ${problems.length} reported problems`,
    );
    kase.close();
  });
});
