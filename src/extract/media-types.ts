// Which extractor to use when the caller's media type is generic (application/zip,
// application/x-cfb, application/octet-stream…): look inside the bytes, then at the file name.
import { OOXML_TYPES } from './ooxml.js';

const BY_EXTENSION: { [ext: string]: string } = {
  docx: OOXML_TYPES[0], dotx: OOXML_TYPES[1], docm: OOXML_TYPES[2], dotm: OOXML_TYPES[3],
  xlsx: OOXML_TYPES[4], xltx: OOXML_TYPES[5], xlsm: OOXML_TYPES[6], xltm: OOXML_TYPES[7],
  pptx: OOXML_TYPES[8], potx: OOXML_TYPES[9], ppsx: OOXML_TYPES[10], pptm: OOXML_TYPES[11], ppsm: OOXML_TYPES[12],
  odt: 'application/vnd.oasis.opendocument.text', ott: 'application/vnd.oasis.opendocument.text-template',
  ods: 'application/vnd.oasis.opendocument.spreadsheet', odp: 'application/vnd.oasis.opendocument.presentation',
  odg: 'application/vnd.oasis.opendocument.graphics', odf: 'application/vnd.oasis.opendocument.formula',
  sxw: 'application/vnd.sun.xml.writer',
  doc: 'application/msword', dot: 'application/msword', xls: 'application/vnd.ms-excel', xlt: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint', pps: 'application/vnd.ms-powerpoint', pot: 'application/vnd.ms-powerpoint',
  pdf: 'application/pdf', ai: 'application/pdf',
  jpg: 'image/jpeg', jpeg: 'image/jpeg', jpe: 'image/jpeg', tif: 'image/tiff', tiff: 'image/tiff', png: 'image/png',
  heic: 'image/heic', heif: 'image/heif', avif: 'image/avif', webp: 'image/webp', gif: 'image/gif', bmp: 'image/bmp',
  dng: 'image/x-adobe-dng', cr2: 'image/x-canon-cr2', nef: 'image/x-nikon-nef', arw: 'image/x-sony-arw',
  rw2: 'image/x-panasonic-rw2', orf: 'image/x-olympus-orf', psd: 'image/vnd.adobe.photoshop',
  xmp: 'application/rdf+xml', svg: 'image/svg+xml',
  htm: 'text/html', html: 'text/html', xhtml: 'application/xhtml+xml',
  txt: 'text/plain', text: 'text/plain', log: 'text/plain', csv: 'text/csv', tsv: 'text/tab-separated-values', md: 'text/markdown',
  ics: 'text/calendar', ifb: 'text/calendar', vcf: 'text/vcard', vcard: 'text/vcard',
  rtf: 'application/rtf',
};

export function mediaTypeForName(name: string | undefined): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(name ?? '')?.[1]?.toLowerCase();
  return ext ? BY_EXTENSION[ext] : undefined;
}

const GENERIC = new Set(['application/octet-stream', 'application/zip', 'application/x-zip-compressed', 'application/x-cfb',
  'application/x-ole-storage', 'application/vnd.ms-office', 'application/x-tika-msoffice', 'application/x-tika-ooxml',
  'text/plain', 'application/xml', 'text/xml', '']);

const CFB = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** The stored first member `mimetype` of an ODF package (read via the ZIP local header sizes). */
function odfMimetype(bytes: Buffer): string | undefined {
  if (bytes.length < 38 || bytes.toString('latin1', 30, 38) !== 'mimetype') return undefined;
  const size = bytes.readUInt32LE(18);
  const start = 30 + bytes.readUInt16LE(26) + bytes.readUInt16LE(28);
  if (size > 100) return undefined;
  const mt = bytes.toString('latin1', start, start + size);
  return /^application\/vnd\.(oasis\.opendocument|sun\.xml)\.[\w.-]+$/.test(mt) ? mt : undefined;
}

/** Content signatures that settle the format whatever the name says. */
function sniff(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(CFB)) return 'application/x-cfb';
  const head = bytes.subarray(0, 1024).toString('latin1');
  if (head.includes('%PDF-')) return 'application/pdf';
  if (head.startsWith('{\\rtf')) return 'application/rtf';
  if (/<x:x[am]pmeta\b/.test(head) || /^(\ufeff|\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<\?xpacket|<rdf:RDF)/.test(head)) return 'application/rdf+xml';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    // ODF packages store their media type uncompressed as the first member.
    const odf = odfMimetype(bytes);
    if (odf) return odf;
    if (bytes.includes('[Content_Types].xml') || bytes.includes('word/') || bytes.includes('xl/') || bytes.includes('ppt/')) return 'application/x-tika-ooxml';
    return 'application/zip';
  }
  return undefined;
}

/**
 * The media type to dispatch on: the caller's type unless it is generic, in which case the content
 * signature and then the extension decide. An OLE container is dispatched as OLE whatever its name
 * (an encrypted .docx is one).
 */
export function resolveMediaType(bytes: Buffer, mediaType: string, name?: string): string {
  const mt = mediaType.toLowerCase().split(';')[0]?.trim() ?? '';
  const sniffed = sniff(bytes);
  if (sniffed === 'application/x-cfb' && !/^application\/(msword|vnd\.ms-(excel|powerpoint))/.test(mt)) {
    const byName = mediaTypeForName(name);
    return byName && /^application\/(msword|vnd\.ms-)/.test(byName) ? byName : 'application/x-cfb';
  }
  if (!GENERIC.has(mt)) return mt;
  const byName = mediaTypeForName(name);
  if (sniffed === 'application/x-tika-ooxml') return byName && byName.includes('openxmlformats') || byName?.includes('macroenabled') ? byName : OOXML_TYPES[0];
  if (sniffed && sniffed !== 'application/zip') return sniffed;
  if (sniffed === 'application/zip') return byName && /opendocument|openxml|macroenabled/.test(byName) ? byName : mt;
  return byName ?? mt;
}
