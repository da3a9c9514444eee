import { emlxFrame } from '../emlx.js';
import { BZIP2_MAGIC } from './bzip2.js';
import { TNEF_SIGNATURE } from './tnef.js';

export const MEDIA_TYPES = {
  msg: 'application/vnd.ms-outlook',
  pst: 'application/vnd.ms-outlook-pst',
  tnef: 'application/ms-tnef',
  sevenZip: 'application/x-7z-compressed',
  rar: 'application/vnd.rar',
  bzip2: 'application/x-bzip2',
  emlx: 'message/x-emlx',
} as const;

const PST = Buffer.from('!BDN', 'latin1');
const CFB = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const SEVEN_ZIP = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);
const RAR = Buffer.from('Rar!\x1a\x07', 'latin1');
/** "__substg1.0_" in UTF-16LE: the stream-name prefix every .msg property stream has. */
const MSG_STREAM_NAME = Buffer.from('__substg1.0_', 'utf16le');

/**
 * Recognises the formats read by the readers in this folder, by magic bytes (the name only breaks
 * ties the bytes cannot: an OLE2 file is a .msg when its directory names property streams, or when
 * it is called *.msg). Returns a media type of `extraReaders`, or undefined.
 */
export function sniffOutlook(head: Buffer, name: string): string | undefined {
  if (head.subarray(0, 4).equals(PST)) return MEDIA_TYPES.pst;
  if (head.subarray(0, 6).equals(SEVEN_ZIP)) return MEDIA_TYPES.sevenZip;
  if (head.subarray(0, 6).equals(RAR)) return MEDIA_TYPES.rar;
  if (head.length >= 4 && head.readUInt32LE(0) === TNEF_SIGNATURE) return MEDIA_TYPES.tnef;
  if (head.subarray(0, 3).equals(BZIP2_MAGIC) && /^[1-9]$/.test(String.fromCharCode(head[3] ?? 0)) &&
      head.subarray(4, 10).equals(Buffer.from([0x31, 0x41, 0x59, 0x26, 0x53, 0x59]))) {
    return MEDIA_TYPES.bzip2;
  }
  if (head.subarray(0, 8).equals(CFB) && (head.includes(MSG_STREAM_NAME) || /\.msg$/i.test(name))) {
    return MEDIA_TYPES.msg;
  }
  if (looksLikeEmlx(head, name)) return MEDIA_TYPES.emlx;
  return undefined;
}

/** A byte-count line followed by something shaped like a header field. */
function looksLikeEmlx(head: Buffer, name: string): boolean {
  const frame = emlxFrame(head);
  if (!frame || frame.length === 0) return false;
  const next = head.subarray(frame.offset, frame.offset + 200).toString('latin1');
  return /^[!-9;-~]+:/.test(next) || (/\.emlx$/i.test(name) && next.length === 0);
}
