// Seeded PRNG so generated benchmark data is identical across runs and machines.
// mulberry32: tiny, fast, good enough for test data (not for cryptography).

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Prng.pick: empty list');
    return item;
  }

  /** Log-uniform integer in [min, max]: as many 2-4 KB messages as 50-100 KB ones. */
  logInt(min: number, max: number): number {
    return Math.round(Math.exp(Math.log(min) + this.next() * (Math.log(max) - Math.log(min))));
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i += 4) {
      const v = Math.floor(this.next() * 4294967296);
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
    }
    return out;
  }
}

const WORDS = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an they ' +
  'you were her she there been one all we their has would when if so no will can more about said up out what some ' +
  'meeting budget report draft contract invoice minister campaign press release schedule attached please review ' +
  'confidential deadline agreement payment transfer account project council election server password update ' +
  'Paris Moscow Berlin Monday Tuesday Wednesday Thursday Friday quarterly figures regards thanks best'
).split(' ');

/** A line of random words, at most `width` characters. */
export function wordLine(rng: Prng, width: number): string {
  let line = '';
  for (;;) {
    const w = rng.pick(WORDS);
    if (line.length + w.length + 1 > width) return line;
    line = line ? `${line} ${w}` : w;
  }
}

/** Roughly `size` bytes of prose with CRLF line ends (paragraphs, some trailing spaces). */
export function prose(rng: Prng, size: number): string {
  const lines: string[] = [];
  let total = 0;
  while (total < size) {
    let line = rng.next() < 0.12 ? '' : wordLine(rng, rng.int(40, 76));
    // Trailing whitespace makes simple and relaxed body canonicalisation differ.
    if (line && rng.next() < 0.05) line += rng.next() < 0.5 ? '  ' : '\t';
    lines.push(line);
    total += line.length + 2;
  }
  return lines.join('\r\n') + '\r\n';
}
