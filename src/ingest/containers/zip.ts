import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { Readable } from 'node:stream';
import { ratioExceeded, type IngestLimits } from '../limits.js';
import { ContainerBudget } from './budget.js';
import { EntryNamer } from './names.js';
import { LimitError, errorMessage, pump, type Pump } from './pump.js';
import { problem, type ContainerEvent } from './types.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Reads a zip by random access from its central directory (yauzl), one entry at a time, never
 * buffering an entry. Names are taken raw (decodeStrings off) so hostile names are reported by us
 * instead of aborting the whole archive, as yauzl's own validation would.
 */
export async function* readZip(filePath: string, limits: IngestLimits): AsyncGenerator<ContainerEvent> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(filePath, { lazyEntries: true, decodeStrings: false, autoClose: false, validateEntrySizes: true });
  } catch (err) {
    yield problem('corrupt', `not a readable zip archive: ${errorMessage(err)}`);
    return;
  }
  // Errors also reach the promise of the read in progress; this keeps a late one from crashing.
  zip.on('error', () => undefined);
  const namer = new EntryNamer();
  const budget = new ContainerBudget(limits);
  let current: Pump | undefined; // an entry the consumer may abandon by leaving the loop
  try {
    for (;;) {
      let entry: Entry | undefined;
      try {
        entry = await nextEntry(zip);
      } catch (err) {
        yield problem('corrupt', `zip directory unreadable after ${zip.entriesRead} entries: ${errorMessage(err)}`);
        return;
      }
      if (!entry) return;
      const raw = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
      if (raw.endsWith('/') || raw.endsWith('\\')) continue; // directory
      if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) {
        yield problem('link', 'symbolic link entry not followed', raw);
        continue;
      }
      if (entry.isEncrypted()) {
        yield problem('encrypted', 'entry is encrypted; its content cannot be read without the password', raw);
        continue;
      }
      if (!entry.canDecodeFileData()) {
        yield problem('unsupported', `compression method ${entry.compressionMethod} is not supported; entry not read`, raw);
        continue;
      }
      const refused = budget.admitEntry() ?? budget.admitDeclared(entry.uncompressedSize, raw);
      if (refused) {
        yield refused;
        return;
      }
      if (entry.uncompressedSize > 0 && ratioExceeded(entry.uncompressedSize, entry.compressedSize, limits)) {
        yield problem('limit-ratio', ratioMessage(entry.uncompressedSize, entry.compressedSize, limits), raw);
        continue;
      }
      let source: Readable;
      try {
        source = await zip.openReadStreamPromise(entry);
      } catch (err) {
        yield problem('corrupt', `entry unreadable: ${errorMessage(err)}`, raw);
        continue;
      }
      const compressed = entry.compressedSize;
      const p = (current = pump(
        source,
        (n) => budget.check(n) ?? (ratioExceeded(n, compressed, limits) ? new LimitError('limit-ratio', ratioMessage(n, compressed, limits)) : undefined),
        false,
      ));
      const { name, problems } = namer.name(raw);
      yield* problems;
      yield { type: 'entry', name, size: entry.uncompressedSize, stream: p.stream };
      const outcome = await p.settle();
      budget.spend(outcome.bytes);
      if (outcome.kind === 'error') {
        const e = outcome.error;
        yield e instanceof LimitError ? problem(e.code, e.message, raw) : problem('corrupt', `entry unreadable: ${e.message}`, raw);
        if (e instanceof LimitError && e.code === 'limit-bytes') return;
      }
    }
  } finally {
    current?.stream.destroy();
    zip.close();
  }
}

function nextEntry(zip: ZipFile): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (e: Entry): void => {
      cleanup();
      resolve(e);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(undefined);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

function ratioMessage(expanded: number, compressed: number, limits: IngestLimits): string {
  const ratio = compressed > 0 ? Math.round(expanded / compressed) : Infinity;
  return `expands ${compressed} bytes to ${expanded}+ (ratio ${ratio}, limit ${limits.maxRatio}): likely a decompression bomb; not read (raise --max-ratio to read it)`;
}
