// The case-level document and image checks, in report order.
import { afterCutoff } from './after-cutoff.js';
import { batchEdit } from './batch-edit.js';
import { editorOutlier } from './editor-outlier.js';
import type { DocumentCheck } from './facts.js';
import { imageEditingSoftware } from './image-editing-software.js';
import { imageThumbnailMismatch } from './image-thumbnail-mismatch.js';
import { modifiedAfterEmail } from './modified-after-email.js';
import { nearCopyChecks } from './near-copy.js';
import { pdfRevisionChange } from './pdf-revision-change.js';

const nearCopy = nearCopyChecks();
export const nearCopyOfVerified = nearCopy.ofVerified;
export const nearCopyPlain = nearCopy.plain;

export const documentChecks: DocumentCheck[] = [
  afterCutoff, modifiedAfterEmail, editorOutlier, batchEdit, pdfRevisionChange, imageEditingSoftware, imageThumbnailMismatch,
  nearCopyOfVerified, nearCopyPlain,
];

export { afterCutoff, batchEdit, editorOutlier, imageEditingSoftware, imageThumbnailMismatch, modifiedAfterEmail, nearCopyChecks, pdfRevisionChange };
export type { DocumentCheck, DocumentFacts, DocumentSettings } from './facts.js';
export { documentFacts, metadataFromExtraction } from './facts.js';
