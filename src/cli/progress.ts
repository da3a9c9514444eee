import type { IngestProgress } from '../ingest/pipeline.js';
import type { StageProgress } from '../analyse/index.js';

/** Bytes in the unit that shows them best: a small dump is KB, a leak is GB. */
export function size(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
const count = (n: number) => n.toLocaleString('en-US');

export function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const m = Math.floor(seconds / 60);
  const s = Math.floor(seconds % 60);
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** Whole percent of work done, never 100 while any of it remains (rounding up would claim it). */
export function percent(done: number, total: number): number {
  if (total <= 0) return 0;
  const p = Math.floor((100 * done) / total);
  return done < total ? Math.min(p, 99) : 100;
}

/** One line of a stage: what it did of what it has, its rate and the time left. */
interface StageLine {
  name: string;
  fraction: number;
  pct: number;
  text: string;
}

function readingLine(p: IngestProgress, secs: number): StageLine {
  // Done means stored and unpacked: a mailbox counts when its last message is in, not when it is copied.
  const fraction = p.totalBytes > 0 ? p.doneBytes / p.totalBytes : p.totalFiles > 0 ? p.files / p.totalFiles : 0;
  const rate = p.bytes / Math.max(secs, 0.001);
  const left = fraction > 0 && secs > 1 ? (secs * (1 - fraction)) / fraction : NaN;
  const text =
    `${count(p.items)} items · ${count(p.files)}/${count(p.totalFiles)} files · ${size(p.doneBytes)}/${size(p.totalBytes)} · ` +
    `${secs < 1 ? '' : `${size(rate)}/s · `}ETA ${eta(left)}`;
  return { name: 'reading', fraction, pct: percent(p.totalBytes > 0 ? p.doneBytes : p.files, p.totalBytes > 0 ? p.totalBytes : p.totalFiles), text };
}

function stageLine(p: { stage: string; done: number; total: number; unit: string }, secs: number): StageLine {
  const fraction = p.total > 0 ? p.done / p.total : 0;
  const rate = p.done / Math.max(secs, 0.001);
  const left = p.done > 0 && secs > 1 ? (p.total - p.done) / rate : NaN;
  const perSecond = p.unit.startsWith('pass') || secs < 1 ? '' : ` · ${rate.toFixed(0)}/s`;
  return { name: p.stage, fraction, pct: percent(p.done, p.total), text: `${count(p.done)}/${count(p.total)} ${p.unit}${perSecond} · ETA ${eta(left)}` };
}

/**
 * Progress on stderr (stdout stays clean for piping), one bar per stage of real work: reading,
 * verifying, extracting, comparing, deciding, indexing. Verifying and extracting run side by side,
 * so on a terminal every running stage has its own line, redrawn in place, and a stage that ends is
 * left above them saying what it did and how long it took. Otherwise (logs, CI): a plain line per
 * stage every few seconds and one when it ends, counting items, not files. Nothing with --quiet.
 */
export function progressReporter(opts: { quiet: boolean; stream?: NodeJS.WriteStream; now?: () => number }) {
  const out = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const tty = out.isTTY === true;
  const interval = tty ? 100 : 5000;
  const active = new Map<string, { started: number; lastDraw: number; last: StageLine }>();
  let lastDraw = 0;
  let linesOnScreen = 0;

  const render = (l: StageLine): string => {
    if (!tty) return `${l.name}: ${l.pct}% ${l.text}`;
    const width = 24;
    const fill = Math.min(width, Math.floor(l.fraction * width));
    return `${l.name.padEnd(10)} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${String(l.pct).padStart(3)}%  ${l.text}`;
  };
  const erase = (): void => {
    if (linesOnScreen > 0) out.write(`\x1b[${linesOnScreen}A\r\x1b[J`);
    linesOnScreen = 0;
  };
  const redraw = (): void => {
    erase();
    for (const st of active.values()) out.write(`${render(st.last)}\x1b[K\n`);
    linesOnScreen = active.size;
  };
  const finish = (name: string): void => {
    const st = active.get(name);
    if (!st) return;
    active.delete(name);
    if (tty) erase();
    out.write(`${render(st.last)}  (${((now() - st.started) / 1000).toFixed(1)} s)${tty ? '\x1b[K' : ''}\n`);
    if (tty) redraw();
  };
  const show = (name: string, line: (secs: number) => StageLine, complete: boolean): void => {
    if (opts.quiet) return;
    const t = now();
    let st = active.get(name);
    const fresh = st === undefined;
    st ??= { started: t, lastDraw: 0, last: line(0) };
    active.set(name, st);
    st.last = line((t - st.started) / 1000);
    if (complete) return finish(name);
    if (tty) {
      if (!fresh && t - lastDraw < interval) return;
      lastDraw = t;
      redraw();
    } else {
      if (!fresh && t - st.lastDraw < interval) return;
      st.lastDraw = t;
      out.write(`${render(st.last)}\n`);
    }
  };

  return {
    update(p: IngestProgress): void {
      show('reading', (secs) => readingLine(p, secs), false);
    },
    stage(p: StageProgress): void {
      // The reading stage is over once analysis reports.
      if (active.has('reading')) finish('reading');
      show(p.stage, (secs) => stageLine(p, secs), p.total > 0 && p.done >= p.total);
    },
    /** Search indexing when the workbench opens a case. */
    indexing(done: number, total: number): void {
      show('indexing', (secs) => stageLine({ stage: 'indexing', done, total, unit: 'items' }, secs), total > 0 && done >= total);
    },
    /** Ends every stage in progress: each is left showing what it did and how long it took. */
    done(): void {
      if (opts.quiet) return;
      for (const name of [...active.keys()]) finish(name);
    },
    problem(path: string, message: string): void {
      if (tty) erase();
      out.write(`warning: ${path}: ${message}\n`);
      if (tty) redraw();
    },
  };
}
