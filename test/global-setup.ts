// Runs once before the suite: says which tests skip for want of ../shared/corpus, or, in CI
// (TAMIS_REQUIRE_CORPUS=1), fails the run, so a missing corpus can never pass as green.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, HAS_CORPUS } from './helpers/corpus.js';

function corpusTestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return corpusTestFiles(p);
    return e.name.endsWith('.test.ts') && readFileSync(p, 'utf8').includes('shared/corpus') ? [p] : [];
  });
}

export default function setup(): void {
  if (HAS_CORPUS) return;
  if (process.env['TAMIS_REQUIRE_CORPUS'] === '1') {
    throw new Error(`${CORPUS} not found beside the repository, and TAMIS_REQUIRE_CORPUS=1 says it must be there (CI): the corpus suites cannot be skipped`);
  }
  const files = corpusTestFiles('test').map((p) => p.replace(/^test\//, ''));
  process.stdout.write(`Note: ${CORPUS} is not beside this clone, so the tests that read it are skipped (in ${files.length} files: ${files.join(', ')}). CI runs them.\n`);
}
