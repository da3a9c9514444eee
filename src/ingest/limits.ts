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
  /**
   * Entries smaller than this are never refused for their ratio: a small file of zeros or spaces
   * legitimately compresses 1000:1, and is harmless. Default 16 MiB.
   */
  ratioFloorBytes?: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxExpandedBytes: 8 * 1024 ** 3,
  maxRatio: 200,
  maxEntries: 1_000_000,
  maxDepth: 16,
  ratioFloorBytes: 16 * 1024 ** 2,
};

/** Says whether `expanded` bytes from `compressed` input break the ratio limit. */
export function ratioExceeded(expanded: number, compressed: number, limits: IngestLimits): boolean {
  const floor = limits.ratioFloorBytes ?? DEFAULT_LIMITS.ratioFloorBytes ?? 0;
  return expanded > floor && expanded > compressed * limits.maxRatio;
}
