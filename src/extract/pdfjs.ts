// Loading PDFs with pdfjs-dist (legacy build: runs on Node 20) and reading Info, XMP and text.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** pdfjs needs a trailing separator on its data folders. */
const CMAP_URL = join(pdfjsRoot, 'cmaps') + '/';
const FONT_URL = join(pdfjsRoot, 'standard_fonts') + '/';

export interface PdfInfo {
  info: Record<string, unknown>;
  xmp?: string;
  numPages: number;
}

/** Rejects after `ms` so one hostile file cannot stall an ingest. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s; abandoned`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export async function openPdf(bytes: Uint8Array, timeoutMs = 30_000): Promise<PDFDocumentProxy> {
  // pdfjs takes ownership of (detaches) the buffer it is given: hand it a copy.
  const task = getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    cMapUrl: CMAP_URL,
    cMapPacked: true,
    standardFontDataUrl: FONT_URL,
    stopAtErrors: false,
  });
  try {
    return await withTimeout(task.promise, timeoutMs, 'opening the PDF');
  } catch (err) {
    void task.destroy();
    throw err;
  }
}

export async function pdfInfo(doc: PDFDocumentProxy): Promise<PdfInfo> {
  const md = await doc.getMetadata();
  const xmp = md.metadata?.getRaw() as string | undefined;
  return { info: (md.info ?? {}) as Record<string, unknown>, xmp: typeof xmp === 'string' ? xmp : undefined, numPages: doc.numPages };
}

/** Text of the pages in order, stopping once `maxChars` is reached. Pages that fail are reported. */
export async function pdfText(doc: PDFDocumentProxy, maxChars: number, problems: string[]): Promise<{ text: string; truncated: boolean }> {
  const parts: string[] = [];
  let size = 0;
  for (let i = 1; i <= doc.numPages; i++) {
    if (size >= maxChars) return { text: parts.join(''), truncated: true };
    try {
      const page = await withTimeout(doc.getPage(i), 20_000, `reading page ${i}`);
      const tc = await withTimeout(page.getTextContent(), 20_000, `reading text of page ${i}`);
      for (const item of tc.items) {
        if (!('str' in item)) continue;
        parts.push(item.str, item.hasEOL ? '\n' : '');
        size += item.str.length + 1;
      }
      parts.push('\n\n');
      page.cleanup();
    } catch (err) {
      problems.push(`page ${i}: text not read: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { text: parts.join(''), truncated: false };
}
