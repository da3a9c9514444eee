// Keeps the main thread's heap close to what it really holds during long loops over a case.
//
// Why: V8 lets the old generation grow to several times its live size before a full collection, so
// an analysis of 50,000 emails that keeps ~30 MB alive sat on ~110 MB of heap, and the process
// crossed the 300 MB budget of a 1 GB mbox. Heap limits cannot be changed once Node has started
// (and a re-exec would double the processes), so long loops ask for a full collection whenever
// the heap has grown well past what the previous one left alive. Each collection of a heap this
// size takes a few milliseconds; it happens at most every few thousand items.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const MB = 1024 * 1024;

let collect: (() => void) | null | undefined;

/** V8's full collection, exposed on demand (the documented `--expose-gc` flag, set at run time). */
function fullCollection(): (() => void) | null {
  if (collect !== undefined) return collect;
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return (collect = existing);
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    collect = typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    collect = null; // a runtime without the flag: V8's own schedule applies
  }
  return collect;
}

/**
 * A full, compacting collection now: between the stages of an analysis, so the next stage starts
 * from what is really alive rather than from the previous stage's garbage.
 */
export function collectGarbage(): void {
  fullCollection()?.();
}

export class HeapGovernor {
  private live = getHeapStatistics().used_heap_size;
  private calls = 0;

  /**
   * @param slackBytes growth above the last live size tolerated before collecting.
   * @param every how many calls between two looks at the heap (reading it is cheap but not free).
   */
  constructor(
    private readonly slackBytes = 32 * MB,
    private readonly every = 100,
  ) {}

  /** Call once per item of a long loop. */
  tick(): void {
    if (++this.calls % this.every !== 0) return;
    if (getHeapStatistics().used_heap_size < this.live + this.slackBytes) return;
    const gc = fullCollection();
    if (!gc) return;
    gc();
    this.live = getHeapStatistics().used_heap_size;
  }
}
