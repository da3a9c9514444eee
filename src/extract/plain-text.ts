// Plain text and text-based personal data formats (.ics, .vcf, CSV…): charset-detected text.
import { emptyExtraction, setText } from './common.js';
import { decodeText } from './charset.js';
import type { Extraction, Extractor } from './types.js';

export const TEXT_TYPES = [
  'text/plain', 'text/csv', 'text/tab-separated-values', 'text/markdown', 'text/calendar', 'text/vcard',
  'text/x-vcard', 'text/directory', 'application/json', 'text/xml', 'application/xml',
] as const;

export async function extractPlainText(bytes: Buffer, mediaType: string): Promise<Extraction> {
  const ex = emptyExtraction();
  const { text, charset, basis } = decodeText(bytes);
  ex.metadata.raw['text'] = { charset, basis };
  if (/^text\/(calendar|vcard|x-vcard|directory)$/.test(mediaType)) {
    // Unfold RFC 5545/6350 continuation lines so properties read whole.
    const unfolded = text.replace(/\r?\n[ \t]/g, '');
    ex.metadata.raw[mediaType === 'text/calendar' ? 'ics' : 'vcf'] = icsProperties(unfolded);
    const prodid = /^PRODID[^:]*:(.*)$/im.exec(unfolded)?.[1]?.trim();
    if (prodid) ex.metadata.software = prodid;
    setText(ex, unfolded);
  } else setText(ex, text);
  return ex;
}

/** A few identifying properties (PRODID, UID, DTSTAMP, FN, ORGANIZER) of an iCalendar/vCard file. */
function icsProperties(text: string): { [k: string]: string } {
  const out: { [k: string]: string } = {};
  for (const name of ['PRODID', 'VERSION', 'UID', 'DTSTAMP', 'FN', 'ORGANIZER', 'REV']) {
    const v = new RegExp(`^${name}[^:\\n]*:(.*)$`, 'im').exec(text)?.[1]?.trim();
    if (v) out[name] = v;
  }
  return out;
}

export const plainTextExtractor: Extractor = {
  name: 'text',
  mediaTypes: TEXT_TYPES,
  extract: (bytes, mediaType) => extractPlainText(bytes, mediaType),
};
