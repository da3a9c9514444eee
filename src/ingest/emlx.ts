import { createReadStream, promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { ContainerEvent } from './outlook/types.js';

/** The byte-count line of an .emlx: decimal digits, optional padding, then LF. */
const COUNT_LINE = /^[ \t]*(\d{1,15})[ \t]*\r?\n/;

/**
 * Parses the head of an Apple Mail .emlx: returns where the RFC 822 message starts and how long it
 * is, or undefined when the head is not an emlx byte-count line.
 */
export function emlxFrame(head: Buffer): { offset: number; length: number } | undefined {
  const m = COUNT_LINE.exec(head.subarray(0, 40).toString('latin1'));
  if (!m || m[1] === undefined) return undefined;
  return { offset: m[0].length, length: Number(m[1]) };
}

/**
 * Reads an Apple Mail .emlx (byte count line, the message, an XML plist of flags) and yields the
 * message with exactly its original bytes: not rebuilt, so its DKIM signatures stay checkable.
 */
export async function* readEmlx(filePath: string): AsyncIterable<ContainerEvent> {
  const name = `${basename(filePath).replace(/(\.partial)?\.emlx$/i, '') || 'message'}.eml`;
  let frame: { offset: number; length: number } | undefined;
  let size = 0;
  try {
    const fh = await fsp.open(filePath, 'r');
    try {
      size = (await fh.stat()).size;
      const head = Buffer.alloc(40);
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      frame = emlxFrame(head.subarray(0, bytesRead));
    } finally {
      await fh.close();
    }
  } catch (err) {
    yield { type: 'problem', reason: `${filePath} could not be read: ${(err as Error).message}`, code: 'corrupt' };
    return;
  }
  if (!frame) {
    yield { type: 'problem', reason: `${filePath} does not start with the .emlx byte-count line`, code: 'corrupt' };
    return;
  }
  const available = size - frame.offset;
  const length = Math.min(frame.length, available);
  yield {
    type: 'entry',
    name,
    size: length,
    stream: length > 0 ? createReadStream(filePath, { start: frame.offset, end: frame.offset + length - 1 }) : Readable.from([]),
  };
  if (frame.length > available) {
    yield {
      type: 'problem',
      name,
      reason: `${filePath} announces a ${frame.length}-byte message but only ${available} bytes follow: the message is truncated`,
      code: 'corrupt',
    };
  }
  if (/\.partial\.emlx$/i.test(filePath)) {
    yield {
      type: 'problem',
      name,
      reason: `${filePath} is a partial .emlx: Apple Mail stored its attachments as separate files beside it, which are not merged back`,
      code: 'unsupported',
    };
  }
}
