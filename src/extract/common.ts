// Helpers every extractor uses: an empty result, the text cap, and error messages for `problems`.
import type { Json } from '../model.js';
import type { Extraction } from './types.js';
import { detectLanguage } from './language.js';

/** Text kept for search per item; beyond this the text is cut and `textTruncated` set. */
export const MAX_TEXT_CHARS = 5 * 1024 * 1024;

export function emptyExtraction(): Extraction {
  return { metadata: { raw: {} }, problems: [] };
}

/** Stores text (trimmed, capped) and the language guessed from it. */
export function setText(ex: Extraction, text: string): void {
  const t = text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  if (!t) return;
  if (t.length > MAX_TEXT_CHARS) {
    ex.text = t.slice(0, MAX_TEXT_CHARS);
    ex.textTruncated = true;
  } else ex.text = t;
  const lang = detectLanguage(ex.text);
  if (lang) ex.language = lang;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Converts parsed data (which may hold Dates, Buffers, typed arrays, undefined) into JSON-safe values. */
export function toJson(v: unknown, depth = 0): Json {
  if (depth > 12) return null;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Uint8Array || ArrayBuffer.isView(v)) return `<${(v as ArrayBufferView).byteLength} bytes>`;
  if (Array.isArray(v)) return v.slice(0, 1000).map((x) => toJson(x, depth + 1));
  if (typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x !== undefined && typeof x !== 'function') out[k] = toJson(x, depth + 1);
    }
    return out;
  }
  return null;
}

/** Trimmed non-empty string or undefined. */
export function str(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'object') return undefined;
  const s = String(v).replace(/\0+$/, '').trim();
  return s ? s : undefined;
}

/** Copies defined values onto the metadata (undefined never overwrites). */
export function assignDefined<T extends object>(target: T, values: Partial<T>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v !== undefined && v !== null && v !== '') (target as Record<string, unknown>)[k] = v;
  }
}

/** Copies defined values only where the target has none yet (a lower-priority source filling gaps). */
export function fillMissing<T extends object>(target: T, values: Partial<T>): void {
  const t = target as Record<string, unknown>;
  for (const [k, v] of Object.entries(values)) {
    if (v !== undefined && v !== null && v !== '' && t[k] === undefined) t[k] = v;
  }
}
