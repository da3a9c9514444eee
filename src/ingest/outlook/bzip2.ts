import { createReadStream, promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { PassThrough, type Duplex } from 'node:stream';
import type { IngestLimits } from '../limits.js';
import type { ContainerEvent } from './types.js';

// unbzip2-stream is CommonJS without type declarations: a factory of a through-stream.
const unbzip2 = createRequire(import.meta.url)('unbzip2-stream') as () => Duplex;

export const BZIP2_MAGIC = Buffer.from('BZh', 'latin1');

/** Name of the single file inside: `x.txt.bz2` → `x.txt`, `x.tbz2` → `x.tar`. */
function innerName(filePath: string): string {
  const b = basename(filePath);
  if (/\.(tbz2?|tb2)$/i.test(b)) return b.replace(/\.(tbz2?|tb2)$/i, '.tar');
  const stripped = b.replace(/\.bz2?$/i, '');
  return stripped && stripped !== b ? stripped : `${b || 'file'}.out`;
}

/**
 * Decompresses a .bz2 file as one entry, streaming. The output is cut at the byte limit (the
 * smaller of maxExpandedBytes and maxRatio × compressed size); a cut or a damaged stream is
 * reported as a problem after the entry, whose bytes are then the readable prefix.
 */
export async function* readBzip2(filePath: string, limits: IngestLimits): AsyncIterable<ContainerEvent> {
  let compressed: number;
  try {
    compressed = (await fsp.stat(filePath)).size;
  } catch (err) {
    yield { type: 'problem', reason: `${filePath} could not be read: ${(err as Error).message}`, code: 'corrupt' };
    return;
  }
  const cap = Math.floor(Math.min(limits.maxExpandedBytes, Math.max(1, compressed) * limits.maxRatio));
  const state: { produced: number; cut: boolean; error?: Error } = { produced: 0, cut: false };
  const out = new PassThrough();
  const src = createReadStream(filePath);
  const bz = unbzip2();
  const finish = (err?: Error) => {
    if (err && !state.error && !state.cut) state.error = err;
    src.destroy();
    if (!out.writableEnded) out.end();
  };
  src.on('error', finish);
  bz.on('error', finish);
  bz.on('data', (chunk: Buffer) => {
    if (state.cut || out.writableEnded) return;
    const room = cap - state.produced;
    if (chunk.length > room) {
      if (room > 0) out.write(chunk.subarray(0, room));
      state.produced += Math.max(room, 0);
      state.cut = true;
      finish();
      return;
    }
    state.produced += chunk.length;
    if (!out.write(chunk)) {
      src.pause();
      out.once('drain', () => src.resume());
    }
  });
  bz.on('end', () => finish());
  src.pipe(bz);
  const name = innerName(filePath);
  yield { type: 'entry', name, stream: out };
  if (state.cut) {
    const which = cap === limits.maxExpandedBytes ? 'limit-bytes' : 'limit-ratio';
    yield { type: 'problem', name, reason: `decompressed data cut at ${cap} bytes (${which === 'limit-bytes' ? 'size' : 'expansion ratio'} limit)`, code: which };
  } else if (state.error) {
    yield {
      type: 'problem',
      name,
      reason: `${filePath} is damaged after ${state.produced} decompressed bytes (${state.error.message}); only that prefix was kept`,
      code: 'corrupt',
    };
  }
}
