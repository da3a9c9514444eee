// Hostile-input robustness: extract() over every file of the document corpus must never throw and
// must return an Extraction (with problems listed) or null (no extractor for the type).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { expect, it } from 'vitest';
import { extract } from '../src/extract/index.js';
import { describeCorpus } from './helpers/corpus.js';

const ROOT = '../shared/corpus/documents';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []))
    .sort();
}

describeCorpus('extract over the whole document corpus', () => {
  it('never throws; every file yields an Extraction or null', async () => {
    const files = walk(ROOT).filter((f) => !f.endsWith('MANIFEST.tsv'));
    expect(files.length).toBeGreaterThan(680);
    const counts = { extracted: 0, none: 0, withProblems: 0, withText: 0, encrypted: 0 };
    const byExtractorType = new Map<string, number>();
    const thrown: string[] = [];
    for (const f of files) {
      const bytes = readFileSync(f);
      const mediaType = (await fileTypeFromBuffer(bytes))?.mime ?? 'application/octet-stream';
      try {
        const ex = await extract(bytes, mediaType, f);
        if (ex === null) {
          counts.none++;
          continue;
        }
        expect(Array.isArray(ex.problems)).toBe(true);
        expect(typeof ex.metadata.raw).toBe('object');
        // Metadata must stay JSON-safe: it is stored as JSON evidence.
        expect(() => JSON.stringify(ex)).not.toThrow();
        counts.extracted++;
        if (ex.problems.length) counts.withProblems++;
        if (ex.text) counts.withText++;
        if (ex.encrypted) counts.encrypted++;
        const ext = /\.([^./]+)$/.exec(f)?.[1]?.toLowerCase() ?? '(none)';
        byExtractorType.set(ext, (byExtractorType.get(ext) ?? 0) + 1);
      } catch (err) {
        thrown.push(`${relative(ROOT, f)}: ${(err as Error).message}`);
      }
    }
    console.log(`extract robustness: ${files.length} files; ${counts.extracted} extracted (${counts.withText} with text, ${counts.withProblems} with problems, ${counts.encrypted} encrypted), ${counts.none} without an extractor`);
    console.log(`  extracted by extension: ${[...byExtractorType].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    expect(thrown).toEqual([]);
    expect(counts.extracted).toBeGreaterThan(400);
  });
});
