import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  promises as fsp,
  readSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export interface StoredBlob {
  sha256: string;
  size: number;
  /** Where the original bytes live in the case; never rewritten once there. */
  path: string;
}

/**
 * Content-addressed store of original bytes: `objects/ab/cdef…` named by SHA-256.
 * Bytes are written to `tmp/` first and renamed into place, so a blob either exists whole
 * or not at all, even if the process is killed mid-write.
 */
export class BlobStore {
  readonly objectsDir: string;
  readonly tmpDir: string;

  constructor(readonly root: string) {
    this.objectsDir = join(root, 'objects');
    this.tmpDir = join(root, 'tmp');
  }

  async init(): Promise<void> {
    await fsp.mkdir(this.objectsDir, { recursive: true });
    // Leftovers of an interrupted ingest are partial writes: never trusted, always removed.
    await fsp.rm(this.tmpDir, { recursive: true, force: true });
    await fsp.mkdir(this.tmpDir, { recursive: true });
  }

  pathOf(sha256: string): string {
    return join(this.objectsDir, sha256.slice(0, 2), sha256.slice(2));
  }

  async putStream(source: Readable): Promise<StoredBlob> {
    const tmp = join(this.tmpDir, randomBytes(12).toString('hex'));
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tmp));
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw err;
    }
    return this.commit(tmp, hash.digest('hex'), size);
  }

  /**
   * Stores bytes already in memory. Synchronous file calls on purpose: most items of a dump are small
   * (messages, attachments), and a round trip through the thread pool per call costs more than the write.
   */
  async putBuffer(bytes: Uint8Array): Promise<StoredBlob> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const final = this.pathOf(sha256);
    if (existsSync(final)) return { sha256, size: bytes.length, path: final };
    const tmp = join(this.tmpDir, randomBytes(12).toString('hex'));
    writeFileSync(tmp, bytes, { mode: 0o444 });
    mkdirSync(dirname(final), { recursive: true });
    renameSync(tmp, final);
    return { sha256, size: bytes.length, path: final };
  }

  private async commit(tmp: string, sha256: string, size: number): Promise<StoredBlob> {
    const final = this.pathOf(sha256);
    if (await exists(final)) {
      await fsp.rm(tmp, { force: true });
    } else {
      await fsp.mkdir(join(this.objectsDir, sha256.slice(0, 2)), { recursive: true });
      await fsp.chmod(tmp, 0o444);
      await fsp.rename(tmp, final);
    }
    return { sha256, size, path: final };
  }

  read(sha256: string): Promise<Buffer> {
    return fsp.readFile(this.pathOf(sha256));
  }

  async readHead(sha256: string, bytes: number): Promise<Buffer> {
    const fd = openSync(this.pathOf(sha256), 'r');
    try {
      const buf = Buffer.alloc(bytes);
      const bytesRead = readSync(fd, buf, 0, bytes, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      closeSync(fd);
    }
  }

  stream(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await fsp.access(path);
    return true;
  } catch {
    return false;
  }
}
