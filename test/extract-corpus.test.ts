// Accuracy of src/extract against values asserted by Apache Tika's tests and ExifTool's expected
// output (../shared/corpus/documents/MANIFEST.tsv). Every disagreement is either fixed or explained
// in EXCEPTIONS below.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { expect, it } from 'vitest';
import { extract } from '../src/extract/index.js';
import { agrees, assertions, describeActual, readManifest, targetFor, type ManifestRow } from './extract-manifest-map.js';
import { describeCorpus } from './helpers/corpus.js';

const ROOT = '../shared/corpus/documents';

/** `file|key` → why our value differs from the asserted one, and why that is acceptable. */
const EXCEPTIONS: { [fileKey: string]: string } = {
  'tika/microsoft/testEXCEL.strict.xlsx|description':
    'the manifest paraphrases the file; core.xml dc:description reads "This is a sample spreadsheet, for use when testing things", which is what we return',
  'exiftool/images/AFCP.jpg|IPTC:By-line': 'IPTC stored in an AFCP trailer after the JPEG end; exifr reads APP13 IPTC only',
  ...Object.fromEntries(['Make', 'Camera Model Name', 'Software', 'Modify Date', 'Date/Time Original', 'Create Date'].map((t) => [
    `exiftool/images/Nikon.nef|EXIF:${t}`, 'exifr 7.1.3 fails on this NEF ("Invalid input argument for BufferView"); the failure is reported in problems'])),
  ...Object.fromEntries(['Make', 'Camera Model Name', 'Software', 'Artist', 'Date/Time Original'].map((t) => [
    `exiftool/images/PDF.pdf|EXIF:${t}`, 'EXIF lives in Photoshop image resources embedded in the page image; tamis reads the PDF Info and XMP, not embedded image resources'])),
  'exiftool/images/Panasonic.rw2|EXIF:Software': 'Panasonic RW2 raw IFD0 uses vendor tag numbers exifr does not name; raw camera formats are best-effort',
  'exiftool/images/Panasonic.rw2|EXIF:Modify Date': 'Panasonic RW2 raw IFD0 uses vendor tag numbers exifr does not name; raw camera formats are best-effort',
  ...Object.fromEntries(['Software', 'Modify Date', 'Artist'].map((t) => [
    `exiftool/images/Photoshop.psd|EXIF:${t}`, 'EXIF inside PSD image resource 0x0422; exifr does not read PSD (its XMP is read)'])),
  ...Object.fromEntries(['Make', 'Software', 'Modify Date', 'Create Date'].map((t) => [
    `exiftool/images/XMP.xml|EXIF:${t}`, "ExifTool's own -X RDF dump (IFD0:/ExifIFD: properties), not an XMP packet; kept raw, not normalised"])),
};

/** Mail containers are the ingest/email helpers' job; msgreader rows are Outlook messages. */
const NOT_HERE = /\.(msg|eml|mbox|pst)$|^tika\/mail\//;

export async function detectedType(bytes: Buffer): Promise<string> {
  return (await fileTypeFromBuffer(bytes))?.mime ?? 'application/octet-stream';
}

describeCorpus('extract agreement with the corpus manifest', () => {
  it('agrees with Tika and ExifTool on every mapped field, or the difference is explained', async () => {
    const rows = readManifest(readFileSync(join(ROOT, 'MANIFEST.tsv'), 'utf8')).filter((r) => r.expected);
    const tally: { [s: string]: { agree: number; total: number; notHere: number; unmapped: number; noExtractor: number } } = {};
    const unexplained: string[] = [];
    const explainedUsed = new Set<string>();
    for (const row of rows) {
      const t = (tally[row.source] ??= { agree: 0, total: 0, notHere: 0, unmapped: 0, noExtractor: 0 });
      if (row.source === 'msgreader' || NOT_HERE.test(row.file)) {
        t.notHere++;
        continue;
      }
      const pairs = assertions(row.expected, row.source).map((a) => ({ ...a, target: targetFor(row, a.key) }));
      const mapped = pairs.filter((p) => p.target);
      t.unmapped += pairs.length - mapped.length;
      if (!mapped.length) continue;
      const bytes = readFileSync(join(ROOT, row.file));
      const ex = await extract(bytes, await detectedType(bytes), row.file);
      if (!ex) {
        // Formats tamis has no extractor for (raw camera formats, GIMP, MIFF…): listed, not scored.
        t.noExtractor++;
        continue;
      }
      for (const p of mapped) {
        if (!p.target) continue;
        t.total++;
        const ok = agrees(p.target, p.value, ex);
        if (ok) t.agree++;
        check(row, p.key, p.value, ok, describeActual(p.target, ex));
      }
    }
    function check(row: ManifestRow, key: string, value: string, ok: boolean, actual: string): void {
      const id = `${row.file}|${key}`;
      if (ok) return;
      if (EXCEPTIONS[id]) explainedUsed.add(id);
      else unexplained.push(`${id}: expected ${value}, got ${actual}`);
    }
    const line = Object.entries(tally).map(([s, t]) => `${s} ${t.agree}/${t.total}`).join(', ');
    console.log(`extract agreement: ${line}`);
    for (const [s, t] of Object.entries(tally)) {
      console.log(`  ${s}: ${t.agree}/${t.total} mapped fields agree; ${t.unmapped} asserted fields outside tamis's normalised set; ${t.noExtractor} rows in formats without an extractor; ${t.notHere} rows not handled here (mail/msg)`);
    }
    expect(unexplained).toEqual([]);
    // An exception that no longer fires is stale: the table must stay truthful.
    expect(Object.keys(EXCEPTIONS).filter((k) => !explainedUsed.has(k))).toEqual([]);
    expect(tally['tika']?.agree).toBeGreaterThan(50);
    expect(tally['exiftool']?.agree).toBeGreaterThan(50);
  });
});
