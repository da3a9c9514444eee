import type { Readable } from 'node:stream';
import tarStream from 'tar-stream';
import type { IngestLimits } from '../limits.js';
import { ContainerBudget } from './budget.js';
import { EntryNamer } from './names.js';
import { LimitError, errorMessage, pump, type Pump } from './pump.js';
import { problem, type ContainerEvent, type ContainerProblem } from './types.js';

/**
 * Reads a tar stream sequentially (tar-stream). Only regular files are yielded; links are reported
 * and never followed, devices and FIFOs are reported and skipped. A read error or truncation ends
 * the archive with a 'corrupt' problem after the entries read so far; a LimitError raised by the
 * source (e.g. the gzip ratio guard) ends it with that limit's problem.
 */
export async function* readTar(source: Readable, limits: IngestLimits): AsyncGenerator<ContainerEvent> {
  // v7 archives have no 'ustar' magic; the header checksum still guards against non-tar input.
  // The option exists in tar-stream's code but not in its bundled types.
  const extract = tarStream.extract({ allowUnknownFormat: true } as Parameters<typeof tarStream.extract>[0]);
  source.on('error', (err) => extract.destroy(err));
  source.pipe(extract);
  const namer = new EntryNamer();
  const budget = new ContainerBudget(limits);
  let entries = 0;
  let current: Pump | undefined; // an entry the consumer may abandon by leaving the loop
  try {
    for await (const entry of extract) {
      const h = entry.header;
      const raw = h.name;
      const type: string = h.type ?? 'file';
      if (type === 'directory') {
        entry.resume();
        continue;
      }
      if (type === 'symlink' || type === 'link') {
        entry.resume();
        const what = type === 'symlink' ? 'symbolic link' : 'hard link';
        yield problem('link', `${what} to '${h.linkname ?? ''}' not followed`, raw);
        continue;
      }
      if (type !== 'file' && type !== 'contiguous-file') {
        entry.resume();
        yield problem('unsupported', `${type} entry skipped: not a regular file`, raw);
        continue;
      }
      const refused = budget.admitEntry() ?? budget.admitDeclared(h.size ?? 0, raw);
      if (refused) {
        yield refused;
        return;
      }
      entries++;
      const p = (current = pump(entry as AsyncIterable<Buffer>, (n) => budget.check(n), true));
      const { name, problems } = namer.name(raw);
      yield* problems;
      yield h.size === undefined ? { type: 'entry', name, stream: p.stream } : { type: 'entry', name, size: h.size, stream: p.stream };
      const outcome = await p.settle();
      budget.spend(outcome.bytes);
      if (outcome.kind === 'error') {
        // Sequential format: nothing after a failed entry can be trusted to line up.
        yield failure(outcome.error, entries, raw);
        return;
      }
    }
  } catch (err) {
    yield failure(err, entries);
  } finally {
    current?.stream.destroy();
    source.unpipe(extract);
    source.destroy();
    extract.destroy();
  }
}

function failure(err: unknown, entries: number, name?: string): ContainerProblem {
  if (err instanceof LimitError) return problem(err.code, err.message, name);
  return problem('corrupt', `tar unreadable after ${entries} files (truncated or damaged): ${errorMessage(err)}`, name);
}
