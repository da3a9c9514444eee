import { createReadStream, promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ratioExceeded, type IngestLimits } from '../limits.js';
import { sniffMediaType } from '../sniff.js';
import { EntryNamer } from './names.js';
import { LimitError, errorMessage, pump, type Pump } from './pump.js';
import { readTar } from './tar.js';
import { problem, type ContainerEvent } from './types.js';

const SNIFF_BYTES = 64 * 1024;

/**
 * Reads a gzip file (all members, as gunzip does). If the decompressed bytes are a tar (sniffed,
 * not guessed from the name), its files are yielded; otherwise one entry named after the gzip
 * header's FNAME, or the container name without `.gz`. The decompressed total is held to the
 * ratio limit against the compressed file size, and to the expanded-bytes limit.
 */
export async function* readGzip(filePath: string, limits: IngestLimits, containerName?: string): AsyncGenerator<ContainerEvent> {
  let compressedSize: number;
  let fname: string | undefined;
  try {
    compressedSize = (await fsp.stat(filePath)).size;
    fname = await gzipHeaderName(filePath);
  } catch (err) {
    yield problem('corrupt', `cannot read gzip file: ${errorMessage(err)}`);
    return;
  }
  const file = createReadStream(filePath, { highWaterMark: 1024 * 1024 });
  const gunzip = createGunzip();
  file.on('error', (err) => gunzip.destroy(err));
  file.pipe(gunzip);
  const counted = countExpanded(gunzip, compressedSize, limits);
  let current: Pump | undefined; // an entry the consumer may abandon by leaving the loop
  try {
    let peeked: Peeked;
    try {
      peeked = await peek(counted, SNIFF_BYTES);
    } catch (err) {
      yield err instanceof LimitError ? problem(err.code, err.message) : problem('corrupt', `gzip data unreadable: ${errorMessage(err)}`);
      return;
    }
    const innerName = fname ?? memberName(containerName ?? basename(filePath));
    const { mediaType } = await sniffMediaType(peeked.head, innerName);
    if (mediaType === 'application/x-tar') {
      yield* readTar(Readable.from(peeked.rest, { objectMode: false }), limits);
      return;
    }
    const p = (current = pump(peeked.rest, () => undefined, false));
    const { name, problems } = new EntryNamer().name(innerName);
    yield* problems;
    yield { type: 'entry', name, stream: p.stream };
    const outcome = await p.settle();
    if (outcome.kind === 'error') {
      const e = outcome.error;
      yield e instanceof LimitError ? problem(e.code, e.message, innerName) : problem('corrupt', `gzip data unreadable (truncated or damaged): ${e.message}`, innerName);
    }
  } finally {
    current?.stream.destroy();
    file.destroy();
    gunzip.destroy();
  }
}

/** `mail.tar.gz` → `mail.tar`, `x.tgz` → `x.tar`, `notes.gz` → `notes`; anything else → `content`. */
function memberName(containerName: string): string {
  const m = /^(.+?)(\.t(?:ar\.)?gz|\.gz|\.gzip|\.z)$/i.exec(containerName);
  if (!m?.[1] || !m[2]) return 'content';
  return m[2].toLowerCase() === '.tgz' ? `${m[1]}.tar` : m[1];
}

/**
 * The FNAME field of the first gzip member header (RFC 1952 §2.3), which Node's zlib does not
 * expose: a few fixed-layout bytes, so parsed here.
 */
async function gzipHeaderName(filePath: string): Promise<string | undefined> {
  const fh = await fsp.open(filePath, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const h = buf.subarray(0, bytesRead);
    if (h.length < 10 || h[0] !== 0x1f || h[1] !== 0x8b) return undefined;
    const flags = h[3] ?? 0;
    let pos = 10;
    if (flags & 0x04) pos += 2 + h.readUInt16LE(pos);
    if (!(flags & 0x08)) return undefined;
    const end = h.indexOf(0, pos);
    if (end <= pos) return undefined;
    return h.subarray(pos, end).toString('latin1');
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

async function* countExpanded(src: AsyncIterable<Buffer>, compressedSize: number, limits: IngestLimits): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of src) {
    total += chunk.length;
    if (total > limits.maxExpandedBytes) {
      throw new LimitError('limit-bytes', `decompresses to more than ${limits.maxExpandedBytes} bytes; reading stopped (raise --max-bytes to read it)`);
    }
    if (ratioExceeded(total, compressedSize, limits)) {
      throw new LimitError(
        'limit-ratio',
        `${compressedSize} compressed bytes expand to ${total}+ (limit ratio ${limits.maxRatio}): likely a decompression bomb; reading stopped (raise --max-ratio to read it)`,
      );
    }
    yield chunk;
  }
}

interface Peeked {
  head: Buffer;
  /** All the bytes, head included. */
  rest: AsyncIterable<Buffer>;
}

/** Reads at least `n` bytes (or all) to sniff them, then replays them ahead of the remainder. */
async function peek(src: AsyncIterable<Buffer>, n: number): Promise<Peeked> {
  const it = src[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let len = 0;
  let ended = false;
  while (len < n) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    chunks.push(r.value);
    len += r.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      while (!ended) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  }
  return { head, rest: replay() };
}
