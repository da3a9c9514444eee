/** Caps that keep a hostile dump (zip bomb, endless nesting) from exhausting the machine. */
export interface IngestLimits {
  /** Total decompressed bytes one container may yield. */
  maxExpandedBytes: number;
  /** Largest allowed ratio of decompressed to compressed bytes for one entry. */
  maxRatio: number;
  /** Entries one container may yield. */
  maxEntries: number;
  /** Container nesting depth (a zip in a tar in a gz is depth 3). */
  maxDepth: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxExpandedBytes: 8 * 1024 ** 3,
  maxRatio: 200,
  maxEntries: 1_000_000,
  maxDepth: 16,
};
