// image.thumbnail-mismatch: the EXIF thumbnail shows another picture than the image itself.
import type { Finding } from '../../model.js';
import { errorMessage } from '../../extract/common.js';
import { addFinding, byId, severityFor, type DocumentCheck } from './facts.js';
import { compareSignatures, exifThumbnail, GRID, jpegSize, MAX_MEGAPIXELS, signature } from './thumbnail.js';

/** Aspect ratios further apart than this cannot be compared cell by cell. */
const MAX_ASPECT_GAP = 0.06;
/** Cells (of 256) that must differ: a single odd cell is JPEG noise on an edge. */
const MIN_DIFFERING_CELLS = 3;
/** Smaller pictures (stripped test files, icons) have too few pixels per cell to compare. */
const MIN_SIDE = 64;

export const imageThumbnailMismatch: DocumentCheck = {
  meta: {
    id: 'image.thumbnail-mismatch',
    title: 'EXIF thumbnail differs from the picture',
    description:
      'Cameras store a small preview (EXIF thumbnail) next to the picture. Many editors change the picture but leave the old preview, which then shows the picture before the edit. Both are reduced to a 16×16 grid of brightness and colour, matched for brightness and contrast, and compared; the evidence counts the cells that differ. Innocent explanations: rotation or cropping by software that kept the old preview, or a camera writing a preview after its own processing. Pictures over 20 megapixels or of another aspect ratio than their preview are skipped.',
    severity: 'warning',
  },
  run(docs) {
    const out = new Map<number, Finding[]>();
    for (const doc of byId(docs)) {
      if (doc.kind !== 'image' || !doc.bytes || !/jpe?g/i.test(doc.mediaType)) continue;
      const thumb = exifThumbnail(doc.bytes);
      const size = jpegSize(doc.bytes);
      if (!thumb || !size || size.width * size.height > MAX_MEGAPIXELS * 1e6 || Math.min(size.width, size.height) < MIN_SIDE) continue;
      let comparison;
      let sizes;
      try {
        const main = signature(doc.bytes);
        const small = signature(thumb, true);
        if (!main || !small || Math.min(small.width, small.height) < GRID) continue;
        const gap = Math.abs(main.width / main.height - small.width / small.height) / (main.width / main.height);
        if (gap > MAX_ASPECT_GAP) continue;
        comparison = compareSignatures(main, small);
        sizes = { image: `${main.width}x${main.height}`, thumbnail: `${small.width}x${small.height}` };
      } catch (err) {
        addFinding(out, doc.itemId, {
          check: 'image.thumbnail-mismatch',
          severity: 'info',
          message: `picture or thumbnail could not be decoded, not compared: ${errorMessage(err)}`,
          evidence: { reason: errorMessage(err) },
        });
        continue;
      }
      if (comparison.differingCells < MIN_DIFFERING_CELLS) continue;
      addFinding(out, doc.itemId, {
        check: 'image.thumbnail-mismatch',
        severity: severityFor(doc, 'warning'),
        message: `the EXIF thumbnail differs from the picture in ${comparison.differingCells} of 256 areas (largest brightness or colour gap ${comparison.maxDifference}/255)`,
        evidence: { ...comparison, ...sizes, grid: "16x16 luminance + colour" },
      });
    }
    return out;
  },
};
