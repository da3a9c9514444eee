// /api/compare on two real xlsx files written at test time, ingested and analysed so cells come from the extractor.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseCase } from '../src/analyse/index.js';
import { Ingestor } from '../src/ingest/pipeline.js';
import { buildServer } from '../src/server/app.js';
import { Case } from '../src/store/case.js';

type CellSpec = [ref: string, value: string | number];

const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A minimal but valid workbook: one sheet, inline strings and numbers. */
function xlsx(sheetName: string, cells: CellSpec[]): Buffer {
  const rows = new Map<string, CellSpec[]>();
  for (const c of cells) {
    const r = /\d+$/.exec(c[0])?.[0] ?? '1';
    rows.set(r, [...(rows.get(r) ?? []), c]);
  }
  const sheetData = [...rows]
    .map(
      ([r, cs]) =>
        `<row r="${r}">${cs
          .map(([ref, v]) => (typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${xmlText(v)}</t></is></c>`))
          .join('')}</row>`,
    )
    .join('');
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const files = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    'xl/workbook.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="${xmlText(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
    'xl/worksheets/sheet1.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${main}"><sheetData>${sheetData}</sheetData></worksheet>`,
    ),
  };
  return Buffer.from(zipSync(files));
}

const ORIGINAL: CellSpec[] = [
  ['A1', 'Poste'],
  ['B1', 'Montant'],
  ['A2', 'Salle Lyon'],
  ['B2', 12000],
  ['A3', 'Affiches'],
  ['B3', 3500],
  ['A10', 'Total'],
  ['B10', 15500],
];
// The doctored copy: one amount and the total raised, a line removed, a note added.
const DOCTORED: CellSpec[] = [
  ['A1', 'Poste'],
  ['B1', 'Montant'],
  ['A2', 'Salle Lyon'],
  ['B2', 950000],
  ['A10', 'Total'],
  ['B10', 950000],
  ['C10', 'en liquide'],
];

let dir: string;
let app: FastifyInstance;
const ids: Record<string, number> = {};
const HOST = { host: '127.0.0.1:8080' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tamis-cells-'));
  const dump = join(dir, 'dump');
  mkdirSync(dump);
  writeFileSync(join(dump, 'budget.xlsx'), xlsx('Budget 2017', ORIGINAL));
  writeFileSync(join(dump, 'budget-v2.xlsx'), xlsx('Budget 2017', DOCTORED));
  writeFileSync(join(dump, 'note.txt'), 'Budget 2017\nSalle Lyon\t12000\n');
  const kase = await Case.open(join(dir, 'case'));
  await new Ingestor(kase).ingest([dump]);
  await analyseCase(kase);
  for (const it of kase.items()) {
    const path = kase.occurrencesOf(it.id)[0]?.path ?? '';
    ids[path.slice(path.lastIndexOf('/') + 1)] = it.id;
  }
  kase.close();
  const web = join(dir, 'web');
  mkdirSync(web);
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>t</title>');
  app = await buildServer({ caseDir: join(dir, 'case'), host: '127.0.0.1', webRoot: web });
}, 60_000);
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const compare = async (a: string, b: string) => {
  const res = await app.inject({ method: 'GET', url: `/api/compare?a=${ids[a]}&b=${ids[b]}`, headers: HOST });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { lines: { op: string; text: string }[]; cells?: { sheet: string; ref: string; a: string | null; b: string | null }[] };
};

describe('/api/compare with spreadsheet cells', () => {
  it('lists changed, added and removed cells by sheet, row then column, next to the text diff', async () => {
    const d = await compare('budget.xlsx', 'budget-v2.xlsx');
    expect(d.cells).toEqual([
      { sheet: 'Budget 2017', ref: 'B2', a: '12000', b: '950000' },
      { sheet: 'Budget 2017', ref: 'A3', a: 'Affiches', b: null },
      { sheet: 'Budget 2017', ref: 'B3', a: '3500', b: null },
      { sheet: 'Budget 2017', ref: 'B10', a: '15500', b: '950000' },
      { sheet: 'Budget 2017', ref: 'C10', a: null, b: 'en liquide' },
    ]);
    // The line diff of the extracted text is still there.
    expect(d.lines.some((l) => l.op === 'del' && l.text.includes('12000'))).toBe(true);
    expect(d.lines.some((l) => l.op === 'add' && l.text.includes('950000'))).toBe(true);
  });

  it('returns no changed cell for an item compared with itself, and no cells unless both sides are spreadsheets', async () => {
    expect((await compare('budget.xlsx', 'budget.xlsx')).cells).toEqual([]);
    const mixed = await compare('budget.xlsx', 'note.txt');
    expect(mixed.cells).toBeUndefined();
    expect(mixed.lines.length).toBeGreaterThan(0);
  });
});
