// Case-level document checks read every document and image of the dump at once, because their
// evidence is a comparison: against the organisation's own baseline, the carrying email, the cutoff,
// or another copy of the same content.
import type { Extraction } from '../../extract/types.js';
import type { Finding, Json, Severity } from '../../model.js';
import type { NearCopySketch } from '../../nearcopy/index.js';
import type { CheckMeta } from '../check.js';

export interface DocumentFacts {
  itemId: number;
  kind: 'document' | 'image';
  mediaType: string;
  /** What the case stores: NormalisedMetadata fields + pdfRevisions + ooxml + language. */
  metadata: { [k: string]: Json };
  text?: string;
  cells?: { sheet: string; ref: string; value: string }[];
  /** Near-copy sketch stored at extraction (see NearCopyInput.sketch); absent: computed from text or cells. */
  sketch?: NearCopySketch | null;
  /** Own or inherited proof (e.g. attachment of a DKIM-verified email). */
  verified: boolean;
  occurrencePaths: string[];
  /** Emails carrying this item as an attachment, with their Date: (ISO). */
  carriers: { itemId: number; date?: string; verified: boolean }[];
  /**
   * The item's bytes, for checks that look at pixels (`image.thumbnail-mismatch`). Optional: when
   * absent those checks skip the item.
   */
  bytes?: Uint8Array;
}

export interface DocumentSettings {
  /** Domains of the organisation the dump comes from. */
  orgDomains: string[];
  /** ISO date: the leak's cutoff, when known. */
  cutoff?: string;
}

export interface DocumentCheck {
  meta: CheckMeta;
  /** Findings per item id; items without findings are absent. Must be deterministic. */
  run(docs: DocumentFacts[], settings: DocumentSettings): Map<number, Finding[]>;
}

/**
 * Metadata in the shape the case stores (see src/analyse/document.ts): the normalised fields plus
 * `language`, `ooxml` and `pdfRevisions`, JSON-safe.
 */
export function metadataFromExtraction(x: Extraction): { [k: string]: Json } {
  const { raw: _raw, ...fields } = x.metadata;
  void _raw;
  return JSON.parse(JSON.stringify({
    ...fields,
    ...(x.language ? { language: x.language } : {}),
    ...(x.ooxml ? { ooxml: x.ooxml } : {}),
    ...(x.odf ? { odf: x.odf } : {}),
    ...(x.pdfRevisions ? { pdfRevisions: x.pdfRevisions } : {}),
  })) as { [k: string]: Json };
}

/** Facts of one document from its extraction; `extra` supplies what extraction cannot know. */
export function documentFacts(
  itemId: number,
  kind: DocumentFacts['kind'],
  mediaType: string,
  x: Extraction,
  extra: Partial<Pick<DocumentFacts, 'verified' | 'occurrencePaths' | 'carriers' | 'bytes'>> = {},
): DocumentFacts {
  return {
    itemId,
    kind,
    mediaType,
    metadata: metadataFromExtraction(x),
    ...(x.text !== undefined ? { text: x.text } : {}),
    ...(x.cells ? { cells: x.cells } : {}),
    verified: extra.verified ?? false,
    occurrencePaths: extra.occurrencePaths ?? [],
    carriers: extra.carriers ?? [],
    ...(extra.bytes ? { bytes: extra.bytes } : {}),
  };
}

/** A string field of the metadata, trimmed; undefined when absent or empty. */
export function metaString(doc: DocumentFacts, key: string): string | undefined {
  const v = doc.metadata[key];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** A metadata value as an object (ooxml, infoDates…), else undefined. */
export function asObject(v: Json | undefined): { [k: string]: Json } | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

export function asArray(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

/**
 * Red flags on a verified item are facts about an authentic file (a wrong clock, an unusual editor),
 * not signs of forgery: they are reported as info.
 */
export function severityFor(doc: DocumentFacts, severity: Severity): Severity {
  return doc.verified && severity !== 'info' ? 'info' : severity;
}

/** Adds a finding to the per-item map. */
export function addFinding(out: Map<number, Finding[]>, itemId: number, f: Finding): void {
  const list = out.get(itemId);
  if (list) list.push(f);
  else out.set(itemId, [f]);
}

/** Items sorted by id: checks iterate in this order so output is deterministic. */
export function byId(docs: readonly DocumentFacts[]): DocumentFacts[] {
  return [...docs].sort((a, b) => a.itemId - b.itemId);
}
