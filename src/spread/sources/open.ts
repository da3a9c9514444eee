import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

/** The file as a byte stream, gunzipped on the fly when it starts with gzip's magic bytes. */
export async function openBytes(path: string): Promise<Readable> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(2);
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  const raw = createReadStream(path);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    return raw.pipe(gunzip);
  }
  return raw;
}

export type CsvRow = Record<string, string>;

/** CSV rows as objects keyed by the header, byte-order mark dropped, streamed. */
export async function* csvRows(path: string): AsyncGenerator<CsvRow> {
  const parser = (await openBytes(path)).pipe(
    parse({ columns: (h: string[]) => h.map((c) => c.trim()), bom: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: true }),
  );
  for await (const row of parser as AsyncIterable<CsvRow>) yield row;
}

/** The header of a CSV file (first record), for format detection. */
export async function csvHeader(path: string): Promise<string[]> {
  const parser = (await openBytes(path)).pipe(parse({ bom: true, to_line: 1, relax_column_count: true, relax_quotes: true }));
  for await (const row of parser as AsyncIterable<string[]>) {
    parser.destroy();
    return row.map((c) => c.trim());
  }
  return [];
}

/** Text lines, streamed. */
export async function* lines(path: string): AsyncGenerator<string> {
  const rl = createInterface({ input: await openBytes(path), crlfDelay: Infinity });
  for await (const line of rl) yield line;
}

/** The first non-blank characters of a file (decompressed), for format detection. */
export async function peekText(path: string, bytes = 4096): Promise<string> {
  const stream = await openBytes(path);
  let got = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    got += chunk.toString('utf8');
    if (got.length >= bytes) break;
  }
  stream.destroy();
  return got.replace(/^\uFEFF/, '').slice(0, bytes);
}
