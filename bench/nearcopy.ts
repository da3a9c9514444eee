// Near-copy detection over a synthetic case: `npx tsx bench/nearcopy.ts [docs] [words]`.
// Seeded documents drawn from a Zipf-like vocabulary, 1 % of them near copies of another (a few
// words replaced), plus 1 % spreadsheets with 1 % of them near copies (a few cells changed).
// Prints the time of findNearCopies and how many planted pairs it found. Not a test: no assertion.
import { performance } from 'node:perf_hooks';
import { findNearCopies, type NearCopyInput } from '../src/nearcopy/index.js';
import { Prng } from './lib/prng.js';

const N = Number(process.argv[2] ?? 100_000);
const WORDS = Number(process.argv[3] ?? 300);

const prng = new Prng(42);
const rand = (): number => prng.next();
const VOCAB = Array.from({ length: 50_000 }, (_, i) => `mot${i.toString(36)}`);
const zipf = (): string => VOCAB[Math.floor(VOCAB.length * rand() ** 3)]!;

const docs: NearCopyInput[] = [];
const planted = new Set<string>();
for (let i = 0; i < N; i++) {
  const copyOf = i > 100 && rand() < 0.01 ? Math.floor(rand() * (docs.length - 1)) : -1;
  const source = copyOf >= 0 ? docs[copyOf] : undefined;
  if (source?.cells) {
    const cells = source.cells.map((c) => (rand() < 0.03 ? { ...c, value: String(Math.floor(rand() * 1e6)) } : c));
    docs.push({ itemId: i, cells });
    planted.add(`${source.itemId}-${i}`);
  } else if (source?.text) {
    const ws = source.text.split(' ');
    for (let k = 0; k < 3; k++) ws[Math.floor(rand() * ws.length)] = zipf();
    docs.push({ itemId: i, text: ws.join(' ') });
    planted.add(`${source.itemId}-${i}`);
  } else if (rand() < 0.01) {
    const cells = Array.from({ length: 60 }, (_, k) => ({ sheet: 'Budget', ref: `${'ABC'[k % 3]}${Math.floor(k / 3) + 1}`, value: k % 3 === 1 ? String(Math.floor(rand() * 1e6)) : zipf() }));
    docs.push({ itemId: i, cells });
  } else {
    const n = Math.max(20, Math.round(WORDS * (0.3 + 1.4 * rand())));
    docs.push({ itemId: i, text: Array.from({ length: n }, zipf).join(' ') });
  }
}
const words = docs.reduce((s, d) => s + (d.text ? d.text.split(' ').length : 0), 0);
console.log(`${N} documents, ${(words / 1e6).toFixed(1)} M words, ${planted.size} planted near copies`);
const t0 = performance.now();
const pairs = findNearCopies(docs);
const ms = performance.now() - t0;
const found = pairs.filter((p) => planted.has(`${p.a}-${p.b}`)).length;
console.log(`findNearCopies: ${(ms / 1000).toFixed(1)} s, ${pairs.length} pairs, ${found}/${planted.size} planted pairs found, ${pairs.length - found} other pairs`);
console.log(`peak heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB (rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB)`);
