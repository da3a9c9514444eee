// Shapes of the workbench JSON API (src/server). The core types come from the model itself (types
// only: nothing of the server is bundled); the API's own response shapes are declared here.
import type { Finding as ModelFinding, Json, Verdict } from '../../src/model.js';

export type { Json, Verdict };

/** A finding as the API sends it: the model's, plus the stage it was recorded at. */
export interface Finding extends ModelFinding {
  stage?: string;
}

export interface Overview {
  items: number;
  verdicts: Record<Verdict, number>;
  kinds: { kind: string; count: number }[];
  coverage: {
    domain: string;
    month: string;
    total: number;
    verified: number;
    tampered: number;
    suspicious: number;
    unsigned: number;
    unverifiable: number;
  }[];
  topFindings: { check: string; severity: string; items: number }[];
  timeline: ({ month: string; total: number } & Record<Verdict, number>)[];
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface SearchHit {
  id: number;
  kind: string;
  verdict: Verdict;
  mediaType: string;
  title: string;
  sender: string | null;
  date: string | null;
  snippet: string | null;
}

export interface SearchResult {
  query: string;
  total: number;
  page: number;
  pageSize: number;
  sortedBy: 'relevance' | 'date';
  facetsFrom: number;
  hits: SearchHit[];
  facets: Record<'verdict' | 'kind' | 'domain' | 'sender' | 'month' | 'mediaType' | 'check', FacetValue[]>;
}

export interface ItemSummary {
  id: number;
  kind: string;
  verdict: Verdict;
  mediaType: string;
  title: string;
}

export interface ItemTreeNode extends ItemSummary {
  name: string;
  children: ItemTreeNode[];
}

export interface DkimRow {
  d: string;
  s: string;
  algorithm: string;
  canonicalization: string;
  bodyHashOk: boolean | null;
  signatureOk: boolean | null;
  keyBits: number | null;
  keySource: string | null;
  keyOutcome?: 'verified' | 'mismatch' | 'revoked' | 'unusable' | null;
}

export interface ItemView extends ItemSummary {
  sha256: string;
  size: number;
  verdictReason: string;
  metadata: { [k: string]: Json };
  /** Metadata as readable text fields (absent and empty ones left out). */
  fields: { name: string; value: string }[];
  /** Set when the verdict says nothing because the signatures could not be checked. */
  unchecked: string;
  occurrences: { path: string; parent: ItemSummary | null }[];
  findings: Finding[];
  children: ItemTreeNode[];
  tags: string[];
  note: string;
  email: {
    headers: { name: string; value: string }[];
    rawHeaders: string;
    text: string;
    hasHtml: boolean;
    attachments: { filename: string | null; mimeType: string; size: number }[];
  } | null;
  text: string | null;
}

export interface CompareResult {
  a: ItemSummary;
  b: ItemSummary;
  lines: { op: 'same' | 'add' | 'del'; text: string }[];
  metadata: { key: string; a: string; b: string; same: boolean }[];
  /** Spreadsheets only (both sides have cells): changed, added (a null) and removed (b null) cells. */
  cells?: { sheet: string; ref: string; a: string | null; b: string | null }[];
}

export interface Graph {
  nodes: { id: string; domain: string | null; sent: number; received: number }[];
  edges: { source: string; target: string; weight: number }[];
  emails: number;
}

export interface ThreadList {
  threads: { key: string; messages: number; first: string | null; last: string | null; firstItem: number; title: string }[];
}

export interface Thread {
  key: string | null;
  messages: { id: number; title: string; sender: string | null; date: string | null; verdict: Verdict; depth: number }[];
}
