// PDF: Info dictionary and XMP (kept apart in raw: they can disagree), page count, text, encryption,
// and the incremental-update history.
import type { Json } from '../model.js';
import { MAX_TEXT_CHARS, assignDefined, emptyExtraction, errorMessage, fillMissing, setText, str, toJson } from './common.js';
import { normaliseDateString } from './dates.js';
import { pdfRevisions } from './pdf-revisions.js';
import { openPdf, pdfInfo, pdfText } from './pdfjs.js';
import type { ExtractOptions, Extraction, Extractor } from './types.js';
import { parseXmp, xmpMetadata } from './xmp.js';

export const PDF_TYPES = ['application/pdf', 'application/x-pdf', 'application/illustrator'] as const;

/** `/Encrypt` in a trailer (the bytes after the last `trailer` keyword, or an xref stream dictionary). */
function declaresEncryption(bytes: Buffer): boolean {
  return /\/Encrypt\s*\d+\s+\d+\s+R/.test(bytes.subarray(Math.max(0, bytes.length - 64 * 1024)).toString('latin1')) ||
    /\/Encrypt\s*\d+\s+\d+\s+R/.test(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)).toString('latin1'));
}

function fromInfo(info: Record<string, unknown>, ex: Extraction): void {
  const raw: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(info)) raw[k] = toJson(v);
  ex.metadata.raw['pdf.info'] = raw;
  const s = (k: string): string | undefined => str(info[k]);
  assignDefined(ex.metadata, {
    title: s('Title'),
    author: s('Author'),
    subject: s('Subject'),
    keywords: s('Keywords'),
    creatorTool: s('Creator'),
    producer: s('Producer'),
    created: normaliseDateString(s('CreationDate')),
    modified: normaliseDateString(s('ModDate')),
    pdfVersion: s('PDFFormatVersion'),
    languages: s('Language') ? [s('Language') as string] : undefined,
  });
}

export async function extractPdf(bytes: Buffer, opts: ExtractOptions = {}): Promise<Extraction> {
  const withText = opts.text !== false;
  const ex = emptyExtraction();
  if (declaresEncryption(bytes)) ex.encrypted = true;
  try {
    ex.pdfRevisions = await pdfRevisions(bytes, withText);
  } catch (err) {
    ex.problems.push(`revision history: ${errorMessage(err)}`);
  }
  let doc;
  try {
    doc = await openPdf(bytes);
  } catch (err) {
    const e = err as { name?: string };
    if (e.name === 'PasswordException') {
      ex.encrypted = true;
      ex.problems.push('password-protected PDF (user password required): metadata and text not readable');
    } else ex.problems.push(`PDF could not be opened: ${errorMessage(err)}`);
    return ex;
  }
  try {
    const { info, xmp, numPages } = await pdfInfo(doc);
    ex.metadata.pageCount = numPages;
    fromInfo(info, ex);
    if (info['EncryptFilterName']) ex.encrypted = true;
    if (xmp) {
      try {
        const parsed = parseXmp(xmp);
        ex.metadata.raw['xmp'] = parsed;
        // Info wins where both exist (it is what most viewers show); XMP fills the gaps.
        fillMissing(ex.metadata, xmpMetadata(parsed));
      } catch (err) {
        ex.problems.push(`XMP metadata could not be parsed: ${errorMessage(err)}`);
      }
    }
    if (withText) {
      const { text, truncated } = await pdfText(doc, MAX_TEXT_CHARS, ex.problems);
      setText(ex, text);
      if (truncated) ex.textTruncated = true;
    }
    const last = ex.pdfRevisions?.at(-1);
    if (last && ex.pdfRevisions?.length === 1) {
      const created = normaliseDateString(str(info['CreationDate']));
      const modified = normaliseDateString(str(info['ModDate']));
      if (created || modified) last.infoDates = { ...(created ? { created } : {}), ...(modified ? { modified } : {}) };
      if (ex.metadata.producer) last.producer = ex.metadata.producer;
    }
  } catch (err) {
    ex.problems.push(`PDF content: ${errorMessage(err)}`);
  } finally {
    await doc.destroy();
  }
  return ex;
}

export const pdfExtractor: Extractor = {
  name: 'pdf',
  mediaTypes: PDF_TYPES,
  extract: (bytes, _type, _name, opts) => extractPdf(bytes, opts),
};
