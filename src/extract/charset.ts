// Bytes → string for text formats: BOM, then strict UTF-8, then chardet's guess decoded by iconv-lite.
import chardet from 'chardet';
import iconv from 'iconv-lite';

export interface Decoded {
  text: string;
  /** Charset used, as iconv-lite names it. */
  charset: string;
  /** How the charset was chosen. */
  basis: 'bom' | 'declared' | 'utf-8 valid' | 'detected' | 'fallback';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function validUtf8(b: Buffer): string | undefined {
  try {
    return utf8.decode(b);
  } catch {
    return undefined;
  }
}

/** Decodes text bytes. `declared` (from a meta tag or header) is used when iconv-lite knows it. */
export function decodeText(bytes: Buffer, declared?: string): Decoded {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: bytes.subarray(3).toString('utf8'), charset: 'utf8', basis: 'bom' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf16le'), charset: 'utf16le', basis: 'bom' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf16be'), charset: 'utf16be', basis: 'bom' };
  if (declared && iconv.encodingExists(declared) && !/^utf-?8$/i.test(declared)) {
    return { text: iconv.decode(bytes, declared), charset: declared.toLowerCase(), basis: 'declared' };
  }
  const asUtf8 = validUtf8(bytes);
  if (asUtf8 !== undefined) return { text: asUtf8, charset: 'utf8', basis: 'utf-8 valid' };
  const guess = chardet.detect(bytes.subarray(0, 256 * 1024));
  if (guess && iconv.encodingExists(guess)) return { text: iconv.decode(bytes, guess), charset: guess.toLowerCase(), basis: 'detected' };
  return { text: iconv.decode(bytes, 'cp1252'), charset: 'cp1252', basis: 'fallback' };
}
