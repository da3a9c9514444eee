/**
 * Where each MIME leaf part's body lies in the raw message bytes. postal-mime decodes well but
 * rewrites identity-encoded bodies (CRLF → LF, a trailing newline added), so an embedded
 * `message/rfc822` would no longer be the bytes its DKIM signature covers; this walker finds the
 * exact byte ranges so those bodies can be taken from the raw message instead. It also notices the
 * damage postal-mime silently tolerates (unclosed boundaries, bad base64), to report it.
 */

export interface RawLeaf {
  /** Lowercased media type, defaulted as RFC 2046 says. */
  mediaType: string;
  /** Lowercased Content-Transfer-Encoding, '' when absent. */
  encoding: string;
  /** Start of the part's own header block (the message's for a single-part message). */
  headerStart: number;
  bodyStart: number;
  bodyEnd: number;
  /** The `charset` parameter as written, when any. */
  charset?: string;
  /** Disposition `attachment`, or a file name: a file, not body text. */
  isFile: boolean;
}

export interface RawStructure {
  leaves: RawLeaf[];
  problems: string[];
  /** End of the top-level header block (start of the body), or the message length if none. */
  headerEnd: number;
}

const MAX_DEPTH = 64;

export function mimeStructure(raw: Buffer): RawStructure {
  // latin1 maps bytes 1:1 to UTF-16 units, so string offsets are byte offsets.
  const text = raw.toString('latin1');
  const leaves: RawLeaf[] = [];
  const problems: string[] = [];
  const headerEnd = walk(text, 0, text.length, 'text/plain', 0, leaves, problems, 'message');
  return { leaves, problems, headerEnd };
}

function walk(text: string, start: number, end: number, defaultType: string, depth: number, leaves: RawLeaf[], problems: string[], where: string): number {
  const { headers, bodyStart } = readHeaders(text, start, end);
  const ct = parseContentType(headers.get('content-type')) ?? { type: defaultType, params: new Map<string, string>() };
  const encoding = (headers.get('content-transfer-encoding') ?? '').trim().toLowerCase();
  const leaf = (): RawLeaf => {
    const charset = ct.params.get('charset');
    const disposition = parseContentType(`x/x; ${(headers.get('content-disposition') ?? '').replace(/^[^;]*;?/, '')}`);
    const isFile = /^\s*attachment/i.test(headers.get('content-disposition') ?? '') || ct.params.has('name') || !!disposition?.params.has('filename');
    return { mediaType: ct.type, encoding, headerStart: start, bodyStart, bodyEnd: end, ...(charset ? { charset } : {}), isFile };
  };
  if (!ct.type.startsWith('multipart/') || depth >= MAX_DEPTH) {
    leaves.push(leaf());
    if (encoding === 'base64' && /[^A-Za-z0-9+/=\s]/.test(text.slice(bodyStart, end))) {
      problems.push(`${where}: invalid characters in base64 data; decoded what could be`);
    }
    return bodyStart;
  }
  const boundary = ct.params.get('boundary');
  if (!boundary) {
    problems.push(`${where}: ${ct.type} without a boundary parameter; its parts cannot be separated`);
    leaves.push(leaf());
    return bodyStart;
  }
  const childDefault = ct.type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
  const delimiters = findDelimiters(text, bodyStart, end, boundary);
  let closed = false;
  let index = 0;
  for (let i = 0; i < delimiters.length; i++) {
    const d = delimiters[i];
    if (!d) break;
    if (d.close) {
      closed = true;
      break;
    }
    const next = delimiters[i + 1];
    const partEnd = next ? next.lineStart : end;
    index++;
    const path = where === 'message' ? `part ${index}` : `${where}.${index}`;
    walk(text, d.after, partEnd, childDefault, depth + 1, leaves, problems, path);
  }
  if (!closed) problems.push(`${where}: multipart boundary "${boundary}" is never closed; the message may be truncated`);
  return bodyStart;
}

/** Header block from `start`; unfolded fields by lowercase name (first occurrence wins). */
function readHeaders(text: string, start: number, end: number): { headers: Map<string, string>; bodyStart: number } {
  const headers = new Map<string, string>();
  const re = /\r?\n\r?\n/g;
  re.lastIndex = start;
  let bodyStart: number;
  let blockEnd: number;
  if (/^\r?\n/.test(text.slice(start, start + 2))) {
    blockEnd = start;
    bodyStart = start + (text[start] === '\r' ? 2 : 1);
  } else {
    const m = re.exec(text);
    if (!m || m.index >= end) {
      blockEnd = end;
      bodyStart = end;
    } else {
      blockEnd = m.index;
      bodyStart = m.index + m[0].length;
    }
  }
  const block = text.slice(start, blockEnd).replace(/\r?\n[ \t]/g, ' ');
  for (const line of block.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const key = line.slice(0, i).trim().toLowerCase();
    if (!headers.has(key)) headers.set(key, line.slice(i + 1).trim());
  }
  return { headers, bodyStart };
}

function parseContentType(value: string | undefined): { type: string; params: Map<string, string> } | undefined {
  if (!value) return undefined;
  const [typePart, ...rest] = value.split(';');
  const type = (typePart ?? '').trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return undefined;
  const params = new Map<string, string>();
  const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
  const paramText = ';' + rest.join(';');
  let m: RegExpExecArray | null;
  while ((m = re.exec(paramText)) !== null) {
    const name = (m[1] ?? '').toLowerCase();
    if (!params.has(name)) params.set(name, m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
  }
  return { type, params };
}

interface Delimiter {
  /** Start of the line break before the delimiter (it belongs to the delimiter, RFC 2046 §5.1.1). */
  lineStart: number;
  /** First byte after the delimiter line. */
  after: number;
  close: boolean;
}

function findDelimiters(text: string, start: number, end: number, boundary: string): Delimiter[] {
  const out: Delimiter[] = [];
  const marker = `--${boundary}`;
  let pos = start;
  for (;;) {
    const at = text.indexOf(marker, pos);
    if (at === -1 || at >= end) break;
    const atLineStart = at === start || text[at - 1] === '\n';
    pos = at + marker.length;
    if (!atLineStart) continue;
    const close = text.startsWith('--', pos);
    const next = text[close ? pos + 2 : pos];
    if (next !== undefined && !/[ \t\r\n]/.test(next)) continue; // a longer boundary that starts alike
    const eol = text.indexOf('\n', pos);
    const after = eol === -1 || eol >= end ? end : eol + 1;
    let lineStart = at;
    if (at > start && text[at - 1] === '\n') lineStart = at >= start + 2 && text[at - 2] === '\r' ? at - 2 : at - 1;
    out.push({ lineStart, after, close });
    pos = after;
    if (close) break;
  }
  return out;
}
