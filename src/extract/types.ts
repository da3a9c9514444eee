// Shapes shared by every document/image extractor (issue 3). Extractors are pure: bytes in, data out.
import type { Json } from '../model.js';

/** Metadata normalised across formats; every key is optional because formats carry different subsets. */
export interface NormalisedMetadata {
  title?: string;
  subject?: string;
  keywords?: string;
  /** Free-text description / comments field of the document properties. */
  comments?: string;
  author?: string;
  lastModifiedBy?: string;
  /** ISO 8601 strings. A value without zone (EXIF, ODF) is kept without zone rather than guessed. */
  created?: string;
  modified?: string;
  printed?: string;
  application?: string;
  appVersion?: string;
  company?: string;
  template?: string;
  revision?: string;
  totalEditMinutes?: number;
  languages?: string[];
  /**
   * Windows codepage of the file's 8-bit strings (OLE property sets, RTF \ansicpg): the ANSI codepage
   * of the machine that saved it, so a locale tell (1251 Cyrillic, 1252 Western European…).
   */
  codepage?: number;
  producer?: string;
  creatorTool?: string;
  pdfVersion?: string;
  pageCount?: number;
  wordCount?: number;
  cameraMake?: string;
  cameraModel?: string;
  software?: string;
  artist?: string;
  copyright?: string;
  dateTimeOriginal?: string;
  gps?: { lat: number; lon: number };
  hasThumbnail?: boolean;
  /** XMP `xmpMM:History` entries as `action when softwareAgent` strings, oldest first. */
  xmpHistory?: string[];
}

/** Raw metadata per source ('core.xml', 'app.xml', 'custom.xml', 'ole.summary', 'pdf.info', 'xmp', 'exif', 'iptc', 'meta.xml'…). */
export type RawMetadata = { [source: string]: Json };

/** One state of a PDF: the bytes up to one `%%EOF` (the original or an incremental update). */
export interface PdfRevision {
  index: number;
  /** Offset just after this revision's `%%EOF` marker (and its line end). */
  endOffset: number;
  infoDates?: { created?: string; modified?: string };
  producer?: string;
  /** Text of this revision, capped; absent when the prefix could not be loaded. */
  text?: string;
  /** Why this revision could not be read, if so. */
  problem?: string;
}

export interface OoxmlForensics {
  languages: { lang: string; count: number }[];
  rsids: string[];
  rsidCount: number;
  trackedChanges: { type: 'ins' | 'del'; author?: string; date?: string }[];
  comments: { author?: string; date?: string; initials?: string }[];
  lastSavePath?: string;
}

/** OpenDocument change tracking (content.xml `text:tracked-changes`) and annotations: who edited, when. */
export interface OdfForensics {
  trackedChanges: { type: 'ins' | 'del' | 'format'; author?: string; date?: string }[];
  comments: { author?: string; date?: string }[];
}

export interface CellValue {
  sheet: string;
  ref: string;
  value: string;
}

export interface Extraction {
  metadata: NormalisedMetadata & { raw: RawMetadata };
  /** Text for search, capped at MAX_TEXT_CHARS; `textTruncated` says when the cap was hit. */
  text?: string;
  textTruncated?: boolean;
  /** ISO 639-1 guess from stopwords (see language.ts); absent when too little text. */
  language?: string;
  encrypted?: boolean;
  /** What could not be read, with reasons. Never thrown. */
  problems: string[];
  pdfRevisions?: PdfRevision[];
  ooxml?: OoxmlForensics;
  odf?: OdfForensics;
  /** Spreadsheet cell values (xlsx), for near-copy comparisons. */
  cells?: CellValue[];
}

export interface ExtractOptions {
  /**
   * false: metadata only, as ExifTool reads files — no body text, cell values or PDF revision text,
   * so the expensive part (pdf.js text layout) is skipped. The metadata fields are the same either way.
   */
  text?: boolean;
}

export interface Extractor {
  /** Short stable name, e.g. 'ooxml', 'pdf'. */
  name: string;
  mediaTypes: readonly string[];
  extract(bytes: Buffer, mediaType: string, name?: string, opts?: ExtractOptions): Promise<Extraction>;
}
