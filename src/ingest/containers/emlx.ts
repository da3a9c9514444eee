import { createReadStream, promises as fsp } from 'node:fs';
import { errorMessage, pump } from './pump.js';
import { problem, type ContainerEvent } from './types.js';

/**
 * Apple Mail .emlx: a line with the message's byte count, the message, then an XML property list.
 * Yields the message alone (its exact bytes), so its signatures can be checked.
 */
export async function* readEmlx(filePath: string): AsyncGenerator<ContainerEvent> {
  let start: number;
  let length: number;
  let size: number;
  try {
    const fh = await fsp.open(filePath, 'r');
    try {
      size = (await fh.stat()).size;
      const buf = Buffer.alloc(64);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      const m = /^[ \t]*(\d+)[ \t]*\r?\n/.exec(buf.subarray(0, bytesRead).toString('latin1'));
      if (!m?.[1]) {
        yield problem('corrupt', 'not an .emlx file: the first line is not a byte count');
        return;
      }
      start = m[0].length;
      length = Number(m[1]);
    } finally {
      await fh.close();
    }
  } catch (err) {
    yield problem('corrupt', `cannot read .emlx file: ${errorMessage(err)}`);
    return;
  }
  if (start + length > size) {
    yield problem('corrupt', `.emlx declares a ${length}-byte message but only ${size - start} bytes follow (truncated); reading what is there`);
    length = size - start;
  }
  const p = pump(createReadStream(filePath, { start, end: start + length - 1 }), () => undefined, false);
  yield { type: 'entry', name: 'message.eml', size: length, stream: p.stream };
  const outcome = await p.settle();
  if (outcome.kind === 'error') yield problem('corrupt', `.emlx unreadable: ${outcome.error.message}`, 'message.eml');
}
