// Near-copy detection: MinHash + LSH finds pairs, the exact comparison keeps the right ones and
// shows what changed; spreadsheets compare cell by cell. Real files: an xlsx pair through the extractor.
import { describe, expect, it } from 'vitest';
import { extract } from '../src/extract/index.js';
import { compareCells, compareTexts, decodeSketch, encodeSketch, findNearCopies, sketchOf } from '../src/nearcopy/index.js';
import { shingleHashes } from '../src/nearcopy/features.js';
import { candidatePairs } from '../src/nearcopy/lsh.js';
import { estimateJaccard, exactJaccard, minHasher } from '../src/nearcopy/minhash.js';
import { xlsx } from './fixtures/doc-files.js';

function text(seed: number, words = 200): string {
  let s = seed;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out.push(`w${(s >>> 8) % 5000}`);
  }
  return out.join(' ');
}

describe('MinHash', () => {
  it('estimates the Jaccard index of shingle sets within a few points', () => {
    const a = text(1, 400);
    const words = a.split(' ');
    const b = [...words.slice(0, 300), ...text(2, 100).split(' ')].join(' ');
    const h = minHasher(256);
    const [fa, fb] = [shingleHashes(a), shingleHashes(b)];
    const exact = exactJaccard(fa, fb);
    expect(exact).toBeGreaterThan(0.5);
    expect(exact).toBeLessThan(0.7);
    expect(Math.abs(estimateJaccard(h.signature(fa), h.signature(fb)) - exact)).toBeLessThan(0.1);
  });

  it('bands make similar documents candidates and leave unrelated ones apart', () => {
    const h = minHasher();
    const base = text(3);
    const docs = [base, base.replace('w', 'changed'), text(4), text(5)];
    const pairs = candidatePairs(docs.map((d) => h.signature(shingleHashes(d))));
    expect(pairs).toEqual([[0, 1]]);
  });
});

describe('findNearCopies', () => {
  it('pairs a text with its edited copy and shows the changed words', () => {
    const a = 'Le comité a validé un budget de 120 000 euros pour la campagne régionale du printemps, versé en deux fois.';
    const b = 'Le comité a validé un budget de 920 000 euros pour la campagne régionale du printemps, versé en deux fois.';
    const pairs = findNearCopies([{ itemId: 7, text: b }, { itemId: 3, text: a }, { itemId: 9, text: text(9) }]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({ a: 3, b: 7, basis: 'text', changeCount: 1, textChanges: [{ context: 'comité a validé un budget de', removed: '120', added: '920' }] });
    expect(pairs[0]!.similarity).toBeGreaterThan(0.9);
  });

  it('respects the threshold and ignores texts too short to compare', () => {
    const a = text(11, 100);
    const ws = a.split(' ');
    const b = ws.map((w, i) => (i >= 75 ? `x${w}` : w)).join(' '); // the last quarter rewritten
    expect(findNearCopies([{ itemId: 1, text: a }, { itemId: 2, text: b }])).toEqual([]);
    expect(findNearCopies([{ itemId: 1, text: a }, { itemId: 2, text: b }], { threshold: 0.6 })).toHaveLength(1);
    expect(findNearCopies([{ itemId: 1, text: 'ok merci' }, { itemId: 2, text: 'ok merci' }])).toEqual([]);
  });

  it('compares extracted spreadsheets cell by cell and lists changed cells', async () => {
    const cells: [string, string | number][] = [['A1', 'Poste'], ['B1', 'Montant']];
    for (let r = 2; r < 22; r++) cells.push([`A${r}`, `ligne ${r}`], [`B${r}`, r * 100]);
    const changed = cells.map(([ref, v]): [string, string | number] => (ref === 'B7' ? [ref, 99_999] : [ref, v]));
    const [x, y] = await Promise.all([xlsx({ sheets: [{ name: 'Budget', cells }] }), xlsx({ sheets: [{ name: 'Budget', cells: changed }] })]
      .map((b) => extract(b, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'b.xlsx')));
    const pairs = findNearCopies([{ itemId: 1, cells: x!.cells }, { itemId: 2, cells: y!.cells }]);
    expect(pairs).toMatchObject([{ a: 1, b: 2, basis: 'cells', changeCount: 1, cellChanges: [{ sheet: 'Budget', ref: 'B7', a: '700', b: '99999' }] }]);
  });

  it('finds planted pairs among many unrelated documents', () => {
    const docs = Array.from({ length: 2000 }, (_, i) => ({ itemId: i, text: text(1000 + i) }));
    for (const k of [10, 500, 1500]) docs.push({ itemId: 10_000 + k, text: docs[k]!.text.replace(/w\d+$/, 'fin') });
    const pairs = findNearCopies(docs).map((p) => [p.a, p.b]);
    expect(pairs).toEqual([[10, 10_010], [500, 10_500], [1500, 11_500]]);
  });

  it('gives the same pairs from stored sketches, reading only the texts of candidate pairs', () => {
    const texts = Array.from({ length: 300 }, (_, i) => text(5000 + i));
    texts.push(texts[42]!.replace(/^w\d+/, 'debut'), 'too short to compare');
    const plain = texts.map((t, itemId) => ({ itemId, text: t }));
    const reads: number[] = [];
    const sketched = texts.map((t, itemId) => ({
      itemId,
      sketch: decodeSketch(encodeSketch(sketchOf({ text: t }))),
      get text() { reads.push(itemId); return t; },
    }));
    expect(sketched.at(-1)!.sketch).toBeNull();
    expect(findNearCopies(sketched)).toEqual(findNearCopies(plain));
    expect([...new Set(reads)].sort((x, y) => x - y)).toEqual([42, 300]);
  });

  it('recomputes a sketch made with another number of hashes', () => {
    const a = text(7);
    const sketch = sketchOf({ text: a }, { hashes: 64 })!;
    expect(decodeSketch(encodeSketch(sketch))).toEqual(sketch);
    const pairs = findNearCopies([{ itemId: 1, text: a, sketch }, { itemId: 2, text: a.replace(/w\d+$/, 'fin') }]);
    expect(pairs.map((p) => [p.a, p.b])).toEqual([[1, 2]]);
  });
});

describe('diffs', () => {
  it('word diff ignores case and punctuation but shows words as written', () => {
    const d = compareTexts('Bonjour, Monsieur le Maire. Voici le rapport.', 'bonjour Monsieur le Préfet. Voici le rapport')!;
    expect(d.changes).toEqual([{ context: 'Bonjour, Monsieur le', removed: 'Maire.', added: 'Préfet.' }]);
  });
  it('cell comparison reports added, removed and changed cells', () => {
    const c = compareCells([{ sheet: 'S', ref: 'A1', value: '1' }, { sheet: 'S', ref: 'A2', value: '2' }], [{ sheet: 'S', ref: 'A1', value: '1' }, { sheet: 'S', ref: 'A2', value: '3' }, { sheet: 'S', ref: 'A3', value: '4' }]);
    expect(c.changes).toEqual([{ sheet: 'S', ref: 'A2', a: '2', b: '3' }, { sheet: 'S', ref: 'A3', b: '4' }]);
    expect(c.similarity).toBeCloseTo(1 / 3);
  });
});
