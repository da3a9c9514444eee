// Registry of document/image extractors by media type (like Aleph's ingest-file), and the one entry
// point: extract(bytes, mediaType, name) → Extraction, or null when no extractor handles the type.
import { emptyExtraction, errorMessage } from './common.js';
import { htmlExtractor } from './html.js';
import { imageExtractor } from './image.js';
import { resolveMediaType } from './media-types.js';
import { odfExtractor } from './odf.js';
import { oleExtractor } from './ole.js';
import { ooxmlExtractor } from './ooxml.js';
import { pdfExtractor } from './pdf.js';
import { plainTextExtractor } from './plain-text.js';
import { rtfExtractor } from './rtf.js';
import type { ExtractOptions, Extraction, Extractor } from './types.js';

export type { CellValue, ExtractOptions, Extraction, Extractor, NormalisedMetadata, OdfForensics, OoxmlForensics, PdfRevision } from './types.js';
export { resolveMediaType, mediaTypeForName } from './media-types.js';

export const EXTRACTORS: readonly Extractor[] = [
  ooxmlExtractor, odfExtractor, oleExtractor, pdfExtractor, imageExtractor, htmlExtractor, rtfExtractor, plainTextExtractor,
];

const BY_TYPE = new Map<string, Extractor>();
for (const e of EXTRACTORS) for (const t of e.mediaTypes) BY_TYPE.set(t, e);

/** The extractor registered for a media type (parameters and case ignored). */
export function extractorFor(mediaType: string): Extractor | undefined {
  return BY_TYPE.get(mediaType.toLowerCase().split(';')[0]?.trim() ?? '');
}

/**
 * Metadata and text of one item. `mediaType` is the detected type; when it is generic (zip, OLE,
 * octet-stream) the content and `name` refine it. Returns null when no extractor handles the type.
 * Never throws: whatever cannot be read is listed in `problems`.
 */
export async function extract(bytes: Buffer, mediaType: string, name?: string, opts: ExtractOptions = {}): Promise<Extraction | null> {
  const resolved = resolveMediaType(bytes, mediaType, name);
  const extractor = extractorFor(resolved);
  if (!extractor) return null;
  try {
    return await extractor.extract(bytes, resolved, name, opts);
  } catch (err) {
    const ex = emptyExtraction();
    ex.problems.push(`${extractor.name} extractor failed on ${name ?? 'this item'} (${resolved}): ${errorMessage(err)}`);
    return ex;
  }
}
