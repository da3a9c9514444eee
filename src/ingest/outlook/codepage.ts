import iconv from 'iconv-lite';

/** Windows code page identifiers whose iconv-lite name is not simply `cp<N>` / `windows<N>`. */
const NAMED: Record<number, string> = {
  20127: 'ascii',
  20866: 'koi8-r',
  21866: 'koi8-u',
  28591: 'iso-8859-1',
  28592: 'iso-8859-2',
  28595: 'iso-8859-5',
  28597: 'iso-8859-7',
  28605: 'iso-8859-15',
  50220: 'iso-2022-jp',
  51932: 'euc-jp',
  51949: 'euc-kr',
  52936: 'gb2312',
  54936: 'gb18030',
  65001: 'utf8',
  1200: 'utf-16le',
  1201: 'utf-16be',
};

/**
 * The iconv-lite encoding for a Windows code page (PR_MESSAGE_CODEPAGE / PR_INTERNET_CPID), or
 * undefined when iconv-lite cannot decode it.
 */
export function codepageEncoding(cp: number | undefined): string | undefined {
  if (cp === undefined || !Number.isInteger(cp) || cp <= 0) return undefined;
  const candidates = [NAMED[cp], `cp${cp}`, `windows${cp}`].filter((c): c is string => !!c);
  return candidates.find((c) => iconv.encodingExists(c));
}

/** Decodes bytes in the given code page, falling back to UTF-8 (then Latin-1 if not valid UTF-8). */
export function decodeCodepage(bytes: Uint8Array, cp: number | undefined): string {
  const enc = codepageEncoding(cp);
  if (enc) return iconv.decode(Buffer.from(bytes), enc);
  const buf = Buffer.from(bytes);
  const utf8 = buf.toString('utf8');
  return utf8.includes('\uFFFD') ? buf.toString('latin1') : utf8;
}

/** Windows ANSI code page of the families of internet code pages (Outlook stores 8-bit strings in ANSI). */
const ANSI_OF_INTERNET: Record<number, number> = {
  50220: 932, 50221: 932, 50222: 932, 51932: 932, 20932: 932,
  52936: 936, 54936: 936, 20936: 936,
  51949: 949, 50225: 949,
  20000: 950,
  20866: 1251, 21866: 1251, 28595: 1251,
  28591: 1252, 28605: 1252, 20127: 1252,
  28592: 1250, 28597: 1253, 28599: 1254, 28598: 1255, 28596: 1256, 28594: 1257, 28603: 1257,
};

/** Windows ANSI code page of a locale id's primary language (LCID & 0x3ff). */
const ANSI_OF_LANGUAGE: Record<number, number> = {
  0x11: 932, // Japanese
  0x12: 949, // Korean
  0x1e: 874, // Thai
  0x2a: 1258, // Vietnamese
  0x19: 1251, 0x22: 1251, 0x23: 1251, 0x02: 1251, 0x1c: 1251, 0x2f: 1251, // Cyrillic
  0x05: 1250, 0x0e: 1250, 0x15: 1250, 0x18: 1250, 0x1a: 1250, 0x1b: 1250, 0x24: 1250, // Central Europe
  0x08: 1253, 0x1f: 1254, 0x0d: 1255, 0x01: 1256, 0x29: 1256, 0x20: 1256,
  0x25: 1257, 0x26: 1257, 0x27: 1257,
};

/**
 * The code page of a message's 8-bit (PT_STRING8) properties: PR_MESSAGE_CODEPAGE when stored;
 * else the ANSI code page of its internet code page's script (ISO-2022-JP mail was written on a
 * code page 932 system); else the ANSI code page of its locale (PR_MESSAGE_LOCALE_ID).
 */
export function ansiCodepage(f: { messageCodepage?: number; internetCodepage?: number; messageLocaleId?: number }): number | undefined {
  if (f.messageCodepage) return f.messageCodepage;
  const inet = f.internetCodepage;
  if (inet !== undefined && inet !== 65001 && inet !== 1200) {
    const mapped = ANSI_OF_INTERNET[inet] ?? inet;
    if (codepageEncoding(mapped)) return mapped;
  }
  if (f.messageLocaleId) {
    const lcid = f.messageLocaleId;
    if (lcid === 0x0804 || lcid === 0x1004) return 936; // Chinese (PRC, Singapore)
    if ((lcid & 0x3ff) === 0x04) return 950; // other Chinese locales: traditional
    return ANSI_OF_LANGUAGE[lcid & 0x3ff];
  }
  return undefined;
}
