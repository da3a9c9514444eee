import { PassThrough } from 'node:stream';
import type { ProblemCode } from './types.js';

/** A limit hit while reading; carries the problem code the container reports. */
export class LimitError extends Error {
  constructor(
    readonly code: Extract<ProblemCode, 'limit-bytes' | 'limit-ratio'>,
    message: string,
  ) {
    super(message);
    this.name = 'LimitError';
  }
}

export type PumpOutcome =
  | { kind: 'done'; bytes: number }
  /** The consumer destroyed the stream before the end. */
  | { kind: 'abandoned'; bytes: number }
  | { kind: 'error'; error: Error; bytes: number };

/** Given the bytes read so far from this entry, says whether a limit is exceeded. */
export type Meter = (entryBytes: number) => LimitError | undefined;

export interface Pump {
  /** What the consumer reads. Errors with the LimitError or read error that stopped it. */
  stream: PassThrough;
  outcome: Promise<PumpOutcome>;
  /** Call when the consumer pulls the next event: destroys an unread stream and waits for the source to be done. */
  settle(): Promise<PumpOutcome>;
}

/**
 * Copies one entry's bytes to a stream the consumer reads, with backpressure (memory stays at one
 * chunk plus the stream buffer however large the entry), counting bytes against limits.
 * `drainOnAbandon`: sequential formats (tar) must read past an entry the consumer dropped.
 */
export function pump(source: AsyncIterable<Buffer | Uint8Array>, meter: Meter, drainOnAbandon: boolean): Pump {
  const stream = new PassThrough({ highWaterMark: 1024 * 1024 });
  // A consumer that stops listening must not crash the process when we fail the stream later.
  stream.on('error', () => undefined);
  const outcome = run();

  async function run(): Promise<PumpOutcome> {
    let bytes = 0;
    let abandoned = false;
    try {
      for await (const chunk of source) {
        bytes += chunk.length;
        const over = meter(bytes);
        if (over) {
          stream.destroy(over);
          return { kind: 'error', error: over, bytes };
        }
        if (abandoned) continue;
        if (!(await write(stream, chunk))) {
          abandoned = true;
          if (!drainOnAbandon) return { kind: 'abandoned', bytes };
        }
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      stream.destroy(error);
      return { kind: 'error', error, bytes };
    }
    if (abandoned) return { kind: 'abandoned', bytes };
    stream.end();
    return { kind: 'done', bytes };
  }

  return {
    stream,
    outcome,
    async settle() {
      if (!stream.readableEnded && !stream.destroyed) stream.destroy();
      return outcome;
    },
  };
}

/** Writes with backpressure; false when the consumer destroyed the stream. */
async function write(out: PassThrough, chunk: Buffer | Uint8Array): Promise<boolean> {
  if (out.destroyed) return false;
  if (out.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
  return !out.destroyed;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
