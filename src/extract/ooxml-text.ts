// Text out of WordprocessingML / SpreadsheetML / PresentationML bodies. A tag tokenizer rather than a
// DOM: the bodies can be tens of MB and only text runs (`t`), paragraph ends (`p`), tabs and breaks
// matter. Namespace prefixes are ignored so transitional and strict OOXML read alike.
import { decodeEntities } from './xml.js';
import type { CellValue } from './types.js';

const TOKEN = /<(\/?)(?:[\w.-]+:)?([\w.-]+)([^>]*)>|([^<]+)/g;

/** Visible text of a body part: `t` element content, newline per paragraph, tabs and breaks kept. */
export function runText(xml: string, skip: ReadonlySet<string> = new Set(['rPh', 'instrText', 'tabs'])): string {
  const parts: string[] = [];
  let inT = 0;
  let skipping = 0;
  for (const m of xml.matchAll(TOKEN)) {
    const [, close, local, rest, chars] = m;
    if (chars !== undefined) {
      if (inT > 0 && skipping === 0) parts.push(decodeEntities(chars));
      continue;
    }
    if (!local || local.startsWith('?') || local.startsWith('!')) continue;
    const selfClosing = rest?.trimEnd().endsWith('/') ?? false;
    if (skip.has(local)) {
      if (!selfClosing) skipping += close ? -1 : 1;
      if (skipping < 0) skipping = 0;
      continue;
    }
    if (local === 't') {
      if (!selfClosing) inT += close ? -1 : 1;
      if (inT < 0) inT = 0;
    } else if (!close && local === 'tab') parts.push('\t');
    else if (!close && (local === 'br' || local === 'cr')) parts.push('\n');
    else if (close && local === 'p') parts.push('\n');
  }
  return parts.join('');
}

/** xl/sharedStrings.xml: one string per `si`. */
export function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  for (const m of xml.matchAll(/<(?:\w+:)?si\b[^>]*>([\s\S]*?)<\/(?:\w+:)?si>|<(?:\w+:)?si\s*\/>/g)) {
    out.push(m[1] ? runText(m[1]) : '');
  }
  return out;
}

/** Cell values of one worksheet part, in document order, with shared strings resolved. */
export function sheetCells(xml: string, sheet: string, shared: readonly string[]): CellValue[] {
  const out: CellValue[] = [];
  for (const m of xml.matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)) {
    const attrs = m[1] ?? '';
    const body = m[2];
    if (!body) continue;
    const ref = /\br="([^"]*)"/.exec(attrs)?.[1] ?? '';
    const type = /\bt="([^"]*)"/.exec(attrs)?.[1] ?? 'n';
    let value: string | undefined;
    if (type === 'inlineStr') value = runText(body);
    else {
      const v = /<(?:\w+:)?v\b[^>]*>([\s\S]*?)<\/(?:\w+:)?v>/.exec(body)?.[1];
      if (v === undefined) continue;
      const raw = decodeEntities(v);
      if (type === 's') value = shared[Number(raw)] ?? '';
      else if (type === 'b') value = raw === '1' ? 'TRUE' : 'FALSE';
      else value = raw;
    }
    if (value !== undefined && value !== '') out.push({ sheet, ref, value });
  }
  return out;
}

/** Tab-separated rows of a sheet's cells, for the search text. */
export function cellsAsText(cells: readonly CellValue[]): string {
  const lines: string[] = [];
  let row = '';
  let line: string[] = [];
  for (const c of cells) {
    const r = /\d+$/.exec(c.ref)?.[0] ?? '';
    if (r !== row && line.length) {
      lines.push(line.join('\t'));
      line = [];
    }
    row = r;
    line.push(c.value);
  }
  if (line.length) lines.push(line.join('\t'));
  return lines.join('\n');
}
