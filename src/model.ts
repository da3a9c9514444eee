// Shared vocabulary of tamis (see ../shared/guide/DOMAIN.md): items, occurrences, findings, verdicts.

export type Severity = 'info' | 'warning' | 'critical';
export type Verdict = 'verified' | 'tampered' | 'suspicious' | 'consistent';
export type ItemKind = 'email' | 'document' | 'image' | 'archive' | 'other';

export const VERDICTS: readonly Verdict[] = ['verified', 'tampered', 'suspicious', 'consistent'];
export const ITEM_KINDS: readonly ItemKind[] = ['email', 'document', 'image', 'archive', 'other'];

/** JSON-safe value used for evidence and metadata. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * What a check says about an item. `proof` marks findings that carry cryptographic proof
 * ("proves": the item is authentic, "disproves": the item was altered); the verdict rules read it.
 */
export interface Finding {
  check: string;
  severity: Severity;
  message: string;
  evidence: { [key: string]: Json };
  proof?: 'proves' | 'disproves';
}

export interface Occurrence {
  /** Path through every container, segments joined by '!'. */
  path: string;
  /** Id of the carrying item (attachment, forwarded message, archive member), or null at top level. */
  parent: number | null;
}

export interface ItemRecord {
  id: number;
  sha256: string;
  kind: ItemKind;
  mediaType: string;
  size: number;
}
