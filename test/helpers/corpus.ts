// The shared test corpora (real files written by other projects) live beside the repository, in
// ../shared/corpus. A user's clone has no such folder: tests that read it skip there, and CI, which
// sets TAMIS_REQUIRE_CORPUS=1, fails instead of skipping (see test/global-setup.ts).
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

export const CORPUS = '../shared/corpus';
export const HAS_CORPUS = existsSync(`${CORPUS}/README.md`);

/** `describe` for tests that read ../shared/corpus; skipped when it is absent. */
export const describeCorpus = HAS_CORPUS ? describe : describe.skip;
/** `it` for a test that reads ../shared/corpus; skipped when it is absent. */
export const itCorpus = HAS_CORPUS ? it : it.skip;
