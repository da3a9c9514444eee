import type { IngestProgress } from '../ingest/pipeline.js';

const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m}:${String(s).padStart(2, '0')}`;
}

/**
 * A progress bar redrawn in place on a terminal, plain lines every few seconds otherwise (logs,
 * CI), nothing with --quiet. Writes to stderr so stdout stays clean for piping.
 */
export function progressReporter(opts: { quiet: boolean; stream?: NodeJS.WriteStream }) {
  const out = opts.stream ?? process.stderr;
  const started = Date.now();
  let lastDraw = 0;
  const tty = out.isTTY === true;
  const interval = tty ? 100 : 5000;
  let drawn = false;
  return {
    update(p: IngestProgress): void {
      if (opts.quiet) return;
      const now = Date.now();
      if (now - lastDraw < interval) return;
      lastDraw = now;
      const secs = (now - started) / 1000;
      const rate = p.bytes / Math.max(secs, 0.001);
      const left = p.totalBytes > 0 ? (p.totalBytes - p.bytes) / Math.max(rate, 1) : NaN;
      const pct = p.totalBytes > 0 ? Math.min(100, (100 * p.bytes) / p.totalBytes) : 0;
      const line = `${p.items} items  ${mb(p.bytes)}/${mb(p.totalBytes)} MB  ${mb(rate)} MB/s  ETA ${eta(left)}`;
      if (tty) {
        const width = 24;
        const fill = Math.round((pct / 100) * width);
        out.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${pct.toFixed(0).padStart(3)}%  ${line}\x1b[K`);
        drawn = true;
      } else {
        out.write(`ingest: ${line}\n`);
      }
    },
    /** The checks after reading: per-item analysis can take longer than the reading itself. */
    analysed(done: number, total: number): void {
      if (opts.quiet) return;
      const now = Date.now();
      if (now - lastDraw < interval && done < total) return;
      lastDraw = now;
      const line = `checking ${done}/${total} items`;
      if (tty) {
        out.write(`\r${line}\x1b[K`);
        drawn = true;
      } else {
        out.write(`analyse: ${line}\n`);
      }
    },
    done(): void {
      if (drawn) out.write('\r\x1b[K');
    },
    problem(path: string, message: string): void {
      if (drawn) out.write('\r\x1b[K');
      out.write(`warning: ${path}: ${message}\n`);
    },
  };
}
