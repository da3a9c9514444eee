// Damaged and mislabelled files, as a newcomer's own dump holds them: one finding each, saying what
// the file is and what its name claims, and the exit code README promises.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseReport, ReportItem } from '../src/report/index.js';
import { tamis } from './helpers/cli.js';

let dir: string;

/** Writes files into a fresh folder, ingests it, and returns the exit code and the report. */
function ingest(name: string, files: Record<string, Buffer | string>): { status: number | null; report: CaseReport } {
  const dump = join(dir, name);
  mkdirSync(dump, { recursive: true });
  for (const [f, bytes] of Object.entries(files)) writeFileSync(join(dump, f), bytes);
  const kase = join(dir, `${name}-case`);
  const r = tamis(['ingest', dump, '--case', kase, '--quiet']);
  const report = JSON.parse(tamis(['report', '--case', kase, '--format', 'json']).stdout) as CaseReport;
  return { status: r.status, report };
}

const at = (r: CaseReport, file: string): ReportItem => {
  const it = r.items.find((i) => i.occurrences.some((o) => o.path.endsWith(`/${file}`)));
  if (!it) throw new Error(`no item for ${file}`);
  return it;
};
const ingestFindings = (it: ReportItem) => it.findings.filter((f) => f.check.startsWith('ingest.'));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tamis-bad-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('damaged and mislabelled files', () => {
  it('each gets exactly one finding naming what it is and what its name claims; exit code 2', () => {
    const { status, report } = ingest('mixed', {
      'report.pdf': 'hello, this is just text\n',
      'photo.jpg': '<html><body>a saved web page</body></html>',
      'backup.tar': randomBytes(700),
      'mail.pst': randomBytes(300),
      'broken.zip': Buffer.from('PK\x03\x04garbage', 'latin1'),
      'memo.docx': Buffer.from('PK\x03\x04\x14\x00', 'latin1'),
      'data.gz': Buffer.from('\x1f\x8b\x08\x00garbage', 'latin1'),
      'a.7z': Buffer.from("7z\xbc\xaf'\x1cjunk", 'latin1'),
      'trunc.pdf': '%PDF-1.4\n1 0 obj garbage',
    });
    expect(status).toBe(2);
    const expected: Record<string, RegExp> = {
      'report.pdf': /^named report\.pdf, which claims a PDF document, but its content is plain text \(text\/plain\); read as a PDF document it fails/,
      'photo.jpg': /^named photo\.jpg, which claims a JPEG image, but its content is a web page \(HTML\)/,
      'backup.tar': /^named backup\.tar, which claims a tar archive, but its content is unrecognised binary data/,
      'mail.pst': /^named mail\.pst, which claims an Outlook mail store/,
      'broken.zip': /^broken\.zip \(a zip archive\) could not be read: not a readable zip archive/,
      'memo.docx': /^memo\.docx \(a Word document\) could not be read: not a readable zip archive/,
      'data.gz': /^data\.gz \(a gzip file\) could not be read/,
      'a.7z': /^a\.7z \(a 7-Zip archive\) could not be read/,
      'trunc.pdf': /^trunc\.pdf: PDF could not be opened/,
    };
    for (const [file, message] of Object.entries(expected)) {
      const it = at(report, file);
      const found = ingestFindings(it);
      expect(found, file).toHaveLength(1);
      expect(found[0]?.message, file).toMatch(message);
      expect(it.verdictReason, file).not.toMatch(/could not be read fully: could not be read fully/);
      // The case's internal copy of the file is never named.
      expect(found[0]?.message, file).not.toMatch(/objects\/|\/in\/[0-9a-f]/);
    }
  }, 120_000);

  it('a damaged file found only while extracting (a truncated PDF) still exits 2, as README promises', () => {
    const { status, report } = ingest('only-pdf', { 'trunc.pdf': '%PDF-1.4\n1 0 obj garbage' });
    expect(ingestFindings(at(report, 'trunc.pdf')).map((f) => f.check)).toEqual(['ingest.unreadable']);
    expect(status).toBe(2);
  }, 60_000);

  it('a 0-byte file gets an info finding and does not make the ingest fail', () => {
    const { status, report } = ingest('empty', { 'empty.eml': '', 'fine.txt': 'a note\n' });
    const f = ingestFindings(at(report, 'empty.eml'));
    expect(f.map((x) => [x.check, x.severity])).toEqual([['ingest.empty', 'info']]);
    expect(f[0]?.message).toBe('empty.eml is empty (0 bytes): there is nothing in it to check');
    expect(ingestFindings(at(report, 'fine.txt'))).toEqual([]);
    expect(status).toBe(0);
  }, 60_000);

  it('benign look-alikes get no finding: a correctly named PDF, image, docx-as-zip package, and names without a known extension', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4b60000000049454e44ae426082', 'hex');
    const { status, report } = ingest('fine', { 'logo.png': png, 'notes.csv': 'a,b\n1,2\n', 'README': 'plain\n', 'page.html': '<html><body>x</body></html>' });
    expect(status).toBe(0);
    for (const f of ['logo.png', 'notes.csv', 'README', 'page.html']) expect(ingestFindings(at(report, f)), f).toEqual([]);
  }, 60_000);
});
