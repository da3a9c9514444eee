import { JSONParser } from '@streamparser/json';
import { openBytes, peekText } from './open.js';

export type JsonObject = { [key: string]: unknown };

/**
 * Each top-level JSON value of a file, streamed: the elements of a top-level array, or a sequence of
 * concatenated / newline-delimited values (JSON Lines, pretty-printed API pages one after another).
 * JSON Lines takes a fast path (one JSON.parse per line); anything else goes through a streaming
 * tokenizer so a 10 GB array never sits in memory.
 */
export async function* jsonValues(path: string): AsyncGenerator<unknown> {
  const head = (await peekText(path, 65536)).trimStart();
  const firstLine = head.split('\n', 1)[0] ?? '';
  if (head.startsWith('{') && parsesAlone(firstLine)) {
    const { lines } = await import('./open.js');
    let n = 0;
    for await (const line of lines(path)) {
      n++;
      const t = line.trim();
      if (!t) continue;
      try {
        yield JSON.parse(t) as unknown;
      } catch (e) {
        throw new Error(`${path}: line ${n} is not JSON (${(e as Error).message}); expected one JSON object per line`);
      }
    }
    return;
  }
  const parser = new JSONParser({ paths: [head.startsWith('[') ? '$.*' : '$'], keepStack: false, separator: head.startsWith('[') ? undefined : '' });
  const queue: unknown[] = [];
  parser.onValue = ({ value }) => {
    queue.push(value);
  };
  const stream = await openBytes(path);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      try {
        parser.write(chunk);
      } catch (e) {
        throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
      }
      while (queue.length) yield queue.shift();
    }
  } finally {
    stream.destroy();
  }
  while (queue.length) yield queue.shift();
}

function parsesAlone(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v || undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}
export function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function obj(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}
/** `<a href="...">Twitter for iPhone</a>` -> `Twitter for iPhone`. */
export function clientName(source: unknown): string | undefined {
  const s = str(source);
  return s ? s.replace(/<[^>]*>/g, '').trim() || undefined : undefined;
}
