// Splits raw message bytes into header fields and body without decoding: header text is latin1
// (one char per byte) so hashing reproduces the exact bytes, 8-bit bytes included.

export interface HeaderField {
  /** Field name as written (before ':'), trailing whitespace removed; '' for a line without ':'. */
  name: string;
  /** Lower-cased name, for matching h= entries. */
  lname: string;
  /** The whole field, continuation lines joined with CRLF, no final line break (latin1). */
  raw: string;
  /** Everything after the first ':' (latin1, folding kept). */
  value: string;
  /** 1-based line number of the field's first line. */
  line: number;
  /** False for lines that are not `name: value` fields (no ':' or an invalid name). */
  wellFormed: boolean;
}

export interface ParsedMessage {
  headers: HeaderField[];
  /** Body bytes after the blank separator line (empty when there is none). */
  body: Buffer;
  /** Whether a blank line separated header and body. */
  hasSeparator: boolean;
}

const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

export function parseMessage(raw: Buffer): ParsedMessage {
  const lines: string[] = [];
  let pos = 0;
  let bodyStart = raw.length;
  let hasSeparator = false;
  while (pos < raw.length) {
    const nl = raw.indexOf(10, pos);
    const end = nl < 0 ? raw.length : nl;
    const contentEnd = end > pos && raw[end - 1] === 13 ? end - 1 : end;
    if (contentEnd === pos) {
      bodyStart = nl < 0 ? raw.length : nl + 1;
      hasSeparator = true;
      break;
    }
    lines.push(raw.toString('latin1', pos, contentEnd));
    pos = nl < 0 ? raw.length : nl + 1;
  }
  return { headers: groupFields(lines), body: hasSeparator ? raw.subarray(bodyStart) : Buffer.alloc(0), hasSeparator };
}

function groupFields(lines: string[]): HeaderField[] {
  const fields: HeaderField[] = [];
  let current: { lines: string[]; line: number } | undefined;
  const close = (): void => {
    if (current) fields.push(makeField(current.lines, current.line));
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    const c = l.charCodeAt(0);
    if ((c === 32 || c === 9) && current) {
      current.lines.push(l);
      continue;
    }
    close();
    current = { lines: [l], line: i + 1 };
  }
  close();
  return fields;
}

function makeField(lines: string[], line: number): HeaderField {
  const raw = lines.join('\r\n');
  const colon = raw.indexOf(':');
  if (colon < 0) return { name: '', lname: '', raw, value: '', line, wellFormed: false };
  const name = raw.slice(0, colon).replace(/[ \t]+$/, '');
  const wellFormed = FIELD_NAME.test(name);
  return { name, lname: wellFormed ? name.toLowerCase() : '', raw, value: raw.slice(colon + 1), line, wellFormed };
}

/** Value of the first (topmost) field with this lower-case name. */
export function firstHeader(headers: HeaderField[], lname: string): HeaderField | undefined {
  return headers.find((h) => h.lname === lname);
}
