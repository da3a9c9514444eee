// Where an RFC 5322 message really starts in a file that holds one. Exporters and hand-saved
// files put things in front of the header: a UTF-8 byte-order mark, blank lines, or the `From `
// envelope line an mbox writer adds. The item keeps its exact bytes (originals are never
// modified); parsing and DKIM verification read the message from here on, as the signer wrote it.

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Byte offset of the message's first header line (0 when nothing precedes it). With
 * `envelope: false` an mbox `From ` line is not skipped (to tell an mbox file from one message).
 */
export function messageStart(raw: Buffer, opts: { envelope?: boolean } = {}): number {
  let pos = 0;
  if (raw[0] === BOM[0] && raw[1] === BOM[1] && raw[2] === BOM[2]) pos = 3;
  pos = afterBlankLines(raw, pos);
  if (opts.envelope !== false && startsWithFromLine(raw, pos)) {
    const nl = raw.indexOf(0x0a, pos);
    if (nl > 0) pos = afterBlankLines(raw, nl + 1);
  }
  return pos;
}

/** The message itself: the file's bytes without what precedes its header (a view, not a copy). */
export function messageBytes(raw: Buffer): Buffer {
  const start = messageStart(raw);
  return start === 0 ? raw : raw.subarray(start);
}

/** Skips lines holding only spaces, tabs and a line ending. */
function afterBlankLines(raw: Buffer, from: number): number {
  let pos = from;
  for (;;) {
    let i = pos;
    while (i < raw.length && (raw[i] === 0x20 || raw[i] === 0x09)) i++;
    if (raw[i] === 0x0d && raw[i + 1] === 0x0a) i += 2;
    else if (raw[i] === 0x0a) i += 1;
    else return pos;
    pos = i;
  }
}

/** An mbox envelope line, not a `From :` header written with obsolete space before the colon. */
function startsWithFromLine(raw: Buffer, pos: number): boolean {
  return /^From (?![ \t]*:)/.test(raw.toString('latin1', pos, pos + 80));
}
