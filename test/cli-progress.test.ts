// Progress output: one bar per stage of real work, counts and ETA, never 100 % while work remains.
import { describe, expect, it } from 'vitest';
import { percent, progressReporter } from '../src/cli/progress.js';
import type { IngestProgress } from '../src/ingest/pipeline.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

const reading = (over: Partial<IngestProgress>): IngestProgress => ({
  items: 0,
  bytes: 0,
  doneBytes: 0,
  totalBytes: 1000,
  files: 0,
  totalFiles: 1,
  current: 'dump/big.mbox',
  ...over,
});

describe('progress', () => {
  it('never says 100 % while work remains', () => {
    expect(percent(999, 1000)).toBe(99);
    expect(percent(9995, 10000)).toBe(99);
    expect(percent(1000, 1000)).toBe(100);
    expect(percent(0, 0)).toBe(0);
  });

  it('reading: a mailbox copied but still being unpacked is not done; lines count items, with an ETA once known', () => {
    let t = 0;
    const { stream, text } = fakeStream(false);
    const p = progressReporter({ quiet: false, stream, now: () => t });
    // The whole 1000-byte mailbox is stored, its messages are still being read out of it.
    p.update(reading({ items: 1, bytes: 1000, doneBytes: 0 }));
    t = 6000;
    p.update(reading({ items: 4200, bytes: 1000, doneBytes: 0, totalFiles: 2, totalBytes: 2000 }));
    t = 12_000;
    p.update(reading({ items: 8000, bytes: 2000, doneBytes: 1000, files: 1, totalFiles: 2, totalBytes: 2000 }));
    const lines = text().trim().split('\n');
    expect(lines[0]).toMatch(/^reading: 0% 1 items/);
    expect(lines[1]).toMatch(/^reading: 0% 4,200 items · 0\/2 files/);
    expect(lines[2]).toMatch(/^reading: 50% 8,000 items · 1\/2 files .* ETA 0:12$/);
    expect(text()).not.toContain('100%');
  });

  it('one bar per stage: verifying and extracting run side by side on two lines; each ends on its own line', () => {
    let t = 0;
    const { stream, text } = fakeStream(true);
    const p = progressReporter({ quiet: false, stream, now: () => t });
    p.stage({ stage: 'verifying', done: 1, total: 10, unit: 'emails' });
    t = 200;
    p.stage({ stage: 'extracting', done: 1, total: 4, unit: 'documents' });
    t = 2000;
    p.stage({ stage: 'verifying', done: 5, total: 10, unit: 'emails' });
    const screen = text();
    expect(screen).toMatch(/verifying +\[#+\.+\] +50% {2}5\/10 emails · \d+\/s · ETA 0:02/);
    expect(screen).toMatch(/extracting +\[#+\.+\] +25% {2}1\/4 documents/);
    expect(screen).toContain('\x1b[2A'); // two stage lines redrawn in place
    t = 3000;
    p.stage({ stage: 'extracting', done: 4, total: 4, unit: 'documents' });
    expect(text()).toMatch(/extracting +\[#{24}\] 100% {2}4\/4 documents .*\(2\.8 s\)/);
    p.done();
    expect(text().endsWith('(3.0 s)\x1b[K\n')).toBe(true);
    expect(text()).toMatch(/verifying +\[#+\.+\] +50% .*\(3\.0 s\)/);
  });

  it('--quiet prints nothing', () => {
    const { stream, text } = fakeStream(true);
    const p = progressReporter({ quiet: true, stream });
    p.update(reading({ items: 3 }));
    p.stage({ stage: 'comparing', done: 1, total: 3, unit: 'passes' });
    p.done();
    expect(text()).toBe('');
  });
});
