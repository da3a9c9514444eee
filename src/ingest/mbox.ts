import { createReadStream } from 'node:fs';

/**
 * How `>From ` lines inside messages were escaped by the writer.
 * - `mboxrd`: every `^>*From ` line got one more `>`; we remove one `>` from each `^>+From ` line,
 *   which restores the original bytes exactly.
 * - `mboxo`: only `^From ` got a `>`, so `>From ` is ambiguous (escaped `From ` or a real quote);
 *   we leave every line as stored.
 * - `auto` (default): mboxrd semantics. The file cannot tell the two apart (a file without `>>From `
 *   lines is valid in both), and mboxrd is what current writers (Thunderbird, Python mailbox,
 *   Google Takeout, Dovecot) produce. A wrong guess changes only `>From ` lines in bodies, which
 *   `unescapedLines` reports so a broken DKIM body hash can be explained.
 */
export type MboxFormat = 'mboxrd' | 'mboxo' | 'auto';

export interface MboxMessage {
  /** 0-based position in the file. */
  index: number;
  /** Byte offset of the message's `From ` line in the file (of its first line if it has none). */
  offset: number;
  /** The message standing alone: no `From ` line, no separator blank line, line endings as stored. */
  bytes: Buffer;
  /** The envelope line without its line ending ('' for text before the first `From ` line). */
  fromLine: string;
  /** `>From ` lines from which one `>` was removed. */
  unescapedLines: number;
}

const LF = 0x0a;
const CR = 0x0d;
const GT = 0x3e;
const FROM = Buffer.from('From ');

/**
 * Splits an mbox file into messages by byte offsets, streaming: only the current message is held
 * in memory. A message starts at a `From ` line at the start of the file or after a blank line; a
 * `From ` line inside a body that does not follow a blank line does not split.
 * Hand-written because the npm mbox splitters re-serialise lines or normalise line endings, which
 * breaks the byte-exactness DKIM needs.
 */
export async function* splitMbox(filePath: string, options: { format?: MboxFormat } = {}): AsyncGenerator<MboxMessage> {
  const unescape = (options.format ?? 'auto') !== 'mboxo';
  let index = 0;
  let cur: { offset: number; fromLine: string; parts: Buffer[]; unescaped: number } | undefined;
  let heldBlank: Buffer | undefined;
  let prevBlank = true; // the start of the file counts as "after a blank line"
  let carry: Buffer = Buffer.alloc(0);
  let carryOffset = 0;
  const ready: MboxMessage[] = [];

  function finish(): void {
    if (!cur) return;
    ready.push({ index: index++, offset: cur.offset, bytes: Buffer.concat(cur.parts), fromLine: cur.fromLine, unescapedLines: cur.unescaped });
    cur = undefined;
  }

  function scan(buf: Buffer, base: number, final: boolean): number {
    let spanStart = -1;
    let spanEnd = -1;
    const closeSpan = (): void => {
      if (spanStart >= 0 && cur) cur.parts.push(buf.subarray(spanStart, spanEnd));
      spanStart = -1;
    };
    let pos = 0;
    while (pos < buf.length) {
      let end = buf.indexOf(LF, pos);
      if (end === -1) {
        if (!final) break;
        end = buf.length;
      } else {
        end += 1;
      }
      const len = end - pos;
      const blank = (len === 1 && buf[pos] === LF) || (len === 2 && buf[pos] === CR && buf[pos + 1] === LF);
      if (prevBlank && startsWithFrom(buf, pos, end)) {
        closeSpan();
        heldBlank = undefined; // the separator belongs to neither message
        finish();
        cur = { offset: base + pos, fromLine: buf.subarray(pos, end).toString('latin1').replace(/\r?\n$/, ''), parts: [], unescaped: 0 };
        prevBlank = false;
      } else if (blank) {
        closeSpan();
        if (cur && heldBlank) cur.parts.push(heldBlank);
        heldBlank = cur ? Buffer.from(buf.subarray(pos, end)) : undefined; // blank lines before any message are separators
        prevBlank = true;
      } else {
        if (!cur) cur = { offset: base + pos, fromLine: '', parts: [], unescaped: 0 };
        if (heldBlank) {
          closeSpan();
          cur.parts.push(heldBlank);
          heldBlank = undefined;
        }
        if (unescape && buf[pos] === GT && isEscapedFrom(buf, pos, end)) {
          closeSpan();
          cur.parts.push(Buffer.from(buf.subarray(pos + 1, end)));
          cur.unescaped++;
        } else {
          if (spanStart < 0) spanStart = pos;
          spanEnd = end;
        }
        prevBlank = false;
      }
      pos = end;
    }
    closeSpan();
    return pos;
  }

  const stream = createReadStream(filePath, { highWaterMark: 1024 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const used = scan(buf, carryOffset, false);
      carryOffset += used;
      carry = buf.subarray(used);
      yield* ready.splice(0);
    }
    scan(carry, carryOffset, true);
    // A trailing blank line is the last message's separator.
    heldBlank = undefined;
    finish();
    yield* ready.splice(0);
  } finally {
    stream.destroy();
  }
}

function startsWithFrom(buf: Buffer, start: number, end: number): boolean {
  return end - start >= FROM.length && buf.compare(FROM, 0, FROM.length, start, start + FROM.length) === 0;
}

function isEscapedFrom(buf: Buffer, start: number, end: number): boolean {
  let i = start;
  while (i < end && buf[i] === GT) i++;
  return i > start && startsWithFrom(buf, i, end);
}
