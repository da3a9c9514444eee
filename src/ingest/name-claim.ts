// What a file's name claims it is, against what its bytes are. A leak renamed by hand, a web page
// saved as `photo.jpg`, a text file saved as `report.pdf`: the reader must be told in one sentence
// what the file is and what its name says, not shown a parser's error about a format it never was.
import type { Finding } from '../model.js';

interface Claim {
  label: string;
  accepts: (mediaType: string) => boolean;
}

const is = (...types: string[]) => (mt: string) => types.includes(mt);
const image = (mt: string) => mt.startsWith('image/');
const text = (mt: string) => mt.startsWith('text/') || mt === 'application/json' || mt === 'application/xml';
// A damaged Office or ODF package still sniffs as a zip: that is what its name claims, read badly.
// A password-protected OOXML file is an OLE container: still what its name says.
const zipPackage = (type: RegExp | string) => (mt: string) =>
  (typeof type === 'string' ? mt === type : type.test(mt)) ||
  mt === 'application/zip' ||
  mt === 'application/x-ooxml-encrypted' ||
  mt === 'application/x-cfb';
const ole = (...types: string[]) => (mt: string) => types.includes(mt) || mt === 'application/x-cfb';

const WORD = zipPackage(/wordprocessingml|ms-word/);
const EXCEL = zipPackage(/spreadsheetml|ms-excel/);
const POWERPOINT = zipPackage(/presentationml|ms-powerpoint/);

/** Extensions whose claim is specific enough that content of another kind is worth a finding. */
const CLAIMS: { [ext: string]: Claim } = {
  pdf: { label: 'a PDF document', accepts: is('application/pdf') },
  jpg: { label: 'a JPEG image', accepts: image },
  jpeg: { label: 'a JPEG image', accepts: image },
  png: { label: 'a PNG image', accepts: image },
  gif: { label: 'a GIF image', accepts: image },
  tif: { label: 'a TIFF image', accepts: image },
  tiff: { label: 'a TIFF image', accepts: image },
  heic: { label: 'a HEIC image', accepts: image },
  webp: { label: 'a WebP image', accepts: image },
  docx: { label: 'a Word document', accepts: WORD },
  xlsx: { label: 'an Excel workbook', accepts: EXCEL },
  pptx: { label: 'a PowerPoint presentation', accepts: POWERPOINT },
  doc: { label: 'a Word 97-2003 document', accepts: ole('application/msword') },
  xls: { label: 'an Excel 97-2003 workbook', accepts: ole('application/vnd.ms-excel') },
  ppt: { label: 'a PowerPoint 97-2003 presentation', accepts: ole('application/vnd.ms-powerpoint') },
  odt: { label: 'an OpenDocument text', accepts: zipPackage('application/vnd.oasis.opendocument.text') },
  ods: { label: 'an OpenDocument spreadsheet', accepts: zipPackage('application/vnd.oasis.opendocument.spreadsheet') },
  zip: { label: 'a zip archive', accepts: is('application/zip') },
  tar: { label: 'a tar archive', accepts: is('application/x-tar') },
  gz: { label: 'a gzip file', accepts: is('application/gzip') },
  tgz: { label: 'a gzip-compressed tar archive', accepts: is('application/gzip') },
  bz2: { label: 'a bzip2 file', accepts: is('application/x-bzip2') },
  '7z': { label: 'a 7-Zip archive', accepts: is('application/x-7z-compressed') },
  rar: { label: 'a RAR archive', accepts: is('application/vnd.rar', 'application/x-rar-compressed') },
  eml: { label: 'an email', accepts: is('message/rfc822', 'message/global') },
  mbox: { label: 'a mailbox', accepts: is('application/mbox') },
  pst: { label: 'an Outlook mail store', accepts: is('application/vnd.ms-outlook-pst') },
  ost: { label: 'an Outlook mail store', accepts: is('application/vnd.ms-outlook-pst') },
  msg: { label: 'an Outlook message', accepts: is('application/vnd.ms-outlook') },
  html: { label: 'a web page', accepts: is('text/html', 'application/xhtml+xml') },
  htm: { label: 'a web page', accepts: is('text/html', 'application/xhtml+xml') },
  txt: { label: 'a text file', accepts: text },
  csv: { label: 'a CSV table', accepts: text },
  rtf: { label: 'an RTF document', accepts: is('application/rtf', 'text/rtf') },
};

const WHAT: { [mediaType: string]: string } = {
  'text/plain': 'plain text',
  'text/html': 'a web page (HTML)',
  'application/octet-stream': 'unrecognised binary data',
  'application/zip': 'a zip archive',
  'application/pdf': 'a PDF document',
  'application/gzip': 'gzip data',
  'message/rfc822': 'an email',
  'application/x-empty': 'nothing (0 bytes)',
};

/** What a media type is, in words, with the type itself for the technically minded. */
export function describeMediaType(mediaType: string): string {
  const words = WHAT[mediaType] ?? (mediaType.startsWith('image/') ? `an image (${mediaType.slice(6)})` : undefined);
  return words ? `${words} (${mediaType})` : mediaType;
}

/** The claim of a file name's extension, when it makes one this check knows. */
export function claimOf(name: string): Claim | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return ext ? CLAIMS[ext] : undefined;
}

/**
 * Findings about a file's name and size: `ingest.empty` for 0 bytes, `ingest.mislabelled` when the
 * name claims a format the content is not. `readError`, when reading the file failed, joins the
 * mislabelled finding so the reader gets one sentence, not a parser error about a format it never was.
 */
export function nameFindings(name: string, mediaType: string, size: number, readError?: string): Finding[] {
  if (size === 0) {
    return [{ check: 'ingest.empty', severity: 'info', message: `${name} is empty (0 bytes): there is nothing in it to check`, evidence: { name, size } }];
  }
  const claim = claimOf(name);
  if (!claim || claim.accepts(mediaType)) return [];
  const message =
    `named ${name}, which claims ${claim.label}, but its content is ${describeMediaType(mediaType)}` +
    (readError ? `; read as ${claim.label} it fails (${readError})` : '');
  return [
    {
      check: 'ingest.mislabelled',
      severity: 'warning',
      message,
      evidence: { name, claimed: claim.label, contentType: mediaType, ...(readError ? { readError } : {}) },
    },
  ];
}
