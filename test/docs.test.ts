import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { withCheckList } from '../scripts/gen-check-docs.js';
import { allCheckMetas } from '../src/checks/catalog.js';

describe('docs/verdicts.md', () => {
  const doc = readFileSync('docs/verdicts.md', 'utf8');

  it('lists every check exactly as its module describes it (run `npm run docs` after changing a check)', () => {
    expect(doc).toBe(withCheckList(doc));
  });

  it('has unique check ids, each with a title and a description that names an innocent explanation', () => {
    const metas = allCheckMetas();
    expect(new Set(metas.map((m) => m.id)).size).toBe(metas.length);
    for (const m of metas) {
      expect(m.title.length, m.id).toBeGreaterThan(5);
      expect(m.description, m.id).toMatch(/innocent|Innocent|not a red flag|neither proof/i);
    }
  });
});
