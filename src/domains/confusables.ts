// Confusable folding: the Unicode TR39 skeleton (NFD, map every character to its prototype in the
// Unicode confusables.txt data shipped by the unhomoglyph package, NFD again), then lower case,
// since DNS names are case-insensitive and the prototypes keep case ("0" → "O").
import unhomoglyph from 'unhomoglyph';

/** The TR39 skeleton of a string, lower-cased; two names with one skeleton look the same. */
export function skeleton(s: string): string {
  return unhomoglyph(s.toLowerCase().normalize('NFD')).normalize('NFD').toLowerCase();
}
