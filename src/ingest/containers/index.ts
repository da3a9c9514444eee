import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { IngestLimits } from '../limits.js';
import { splitMbox } from '../mbox.js';
import { ContainerBudget } from './budget.js';
import { readEmlx } from './emlx.js';
import { readGzip } from './gzip.js';
import { errorMessage } from './pump.js';
import { readTar } from './tar.js';
import { problem, type ContainerEvent } from './types.js';
import { readZip } from './zip.js';

export type { ContainerEntry, ContainerEvent, ContainerProblem, ProblemCode } from './types.js';

export interface OpenContainerOptions {
  /** The container's own file name (e.g. `notes.txt.gz`), to name a gzip's single member when its header does not. */
  name?: string;
}

/**
 * Streams the members of a container, one at a time. Bad input never throws: it ends in a
 * 'problem' event after whatever could be read. Each entry's stream must be consumed or destroyed
 * before the next event is pulled.
 */
export async function* openContainer(
  filePath: string,
  mediaType: string,
  limits: IngestLimits,
  options: OpenContainerOptions = {},
): AsyncGenerator<ContainerEvent> {
  try {
    switch (mediaType) {
      case 'application/zip':
        yield* readZip(filePath, limits);
        return;
      case 'application/x-tar':
        yield* readTar(createReadStream(filePath, { highWaterMark: 1024 * 1024 }), limits);
        return;
      case 'application/gzip':
        yield* readGzip(filePath, limits, options.name);
        return;
      case 'application/mbox':
        yield* mboxEntries(filePath, limits);
        return;
      case 'message/x-emlx':
        yield* readEmlx(filePath);
        return;
      default:
        yield problem('unsupported', `${mediaType} is not a container tamis can open`);
    }
  } catch (err) {
    // Readers turn known failures into problems themselves; this catches the unforeseen.
    yield problem('corrupt', `container unreadable: ${errorMessage(err)}`);
  }
}

/** mbox messages as entries named `00001.eml`, `00002.eml`… in file order. */
async function* mboxEntries(filePath: string, limits: IngestLimits): AsyncGenerator<ContainerEvent> {
  const budget = new ContainerBudget(limits);
  for await (const msg of splitMbox(filePath)) {
    const refused = budget.admitEntry() ?? budget.admitDeclared(msg.bytes.length, `message ${msg.index + 1}`);
    if (refused) {
      yield refused;
      return;
    }
    budget.spend(msg.bytes.length);
    yield { type: 'entry', name: `${String(msg.index + 1).padStart(5, '0')}.eml`, size: msg.bytes.length, stream: Readable.from([msg.bytes]) };
  }
}
