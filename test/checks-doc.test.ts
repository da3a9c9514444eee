// Each document check on real files built at test time (docx, xlsx, PDF with updates, JPEG with
// EXIF): inputs that must trigger it and look-alikes that must not. Plus real PDFs from Tika.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentFacts, type DocumentFacts } from '../src/checks/documents/facts.js';
import {
  afterCutoff, batchEdit, editorOutlier, imageEditingSoftware, imageThumbnailMismatch, modifiedAfterEmail, pdfRevisionChange,
} from '../src/checks/documents/index.js';
import { extract } from '../src/extract/index.js';
import { docx, exifDate, jpegWithExif, pdf, retouched, scene, type DocxSpec, type JpegSpec } from './fixtures/doc-files.js';
import { itCorpus } from './helpers/corpus.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
let ids = 0;

async function facts(bytes: Buffer, mediaType: string, extra: Partial<DocumentFacts> = {}): Promise<DocumentFacts> {
  const x = await extract(bytes, mediaType, 'file');
  if (!x) throw new Error(`no extractor for ${mediaType}`);
  return documentFacts(++ids, mediaType.startsWith('image/') ? 'image' : 'document', mediaType, x, { bytes, ...extra });
}
const memo = (o: Partial<DocxSpec> = {}): DocxSpec => ({
  paragraphs: ['Ordre du jour de la réunion de jeudi.'], author: 'Émilie Durand', lastModifiedBy: 'Émilie Durand',
  created: '2017-02-01T09:00:00Z', modified: '2017-02-02T10:00:00Z', company: 'Northwind', lang: 'fr-FR', ...o,
});
const memoFacts = (o: Partial<DocxSpec> = {}, extra: Partial<DocumentFacts> = {}): Promise<DocumentFacts> => facts(docx(memo(o)), DOCX, extra);
const photo = (o: Partial<JpegSpec> = {}): JpegSpec => ({
  width: 256, height: 192, picture: scene(7), make: 'Apple', model: 'iPhone 7', software: '10.3.1',
  dateTimeOriginal: exifDate('2017-02-01T10:00:00'), modifyDate: exifDate('2017-02-01T10:00:00'), ...o,
});
const photoFacts = (o: Partial<JpegSpec> = {}, extra: Partial<DocumentFacts> = {}): Promise<DocumentFacts> => facts(jpegWithExif(photo(o)), 'image/jpeg', extra);
const settings = { orgDomains: ['northwind.example'], cutoff: '2017-05-05' };

describe('doc.after-cutoff', () => {
  it('flags a modified date after the cutoff, with the field', async () => {
    const d = await memoFacts({ modified: '2017-05-07T08:00:00Z' });
    const f = afterCutoff.run([d], settings).get(d.itemId)?.[0];
    expect(f?.severity).toBe('warning');
    expect(f?.evidence['fields']).toEqual([{ field: 'modified', value: '2017-05-07T08:00:00Z' }]);
  });
  it('flags a zone-less EXIF date only beyond 14 hours of slack', async () => {
    const late = await photoFacts({ dateTimeOriginal: exifDate('2017-05-07T12:00:00'), modifyDate: exifDate('2017-05-07T12:00:00') });
    const edge = await photoFacts({ dateTimeOriginal: exifDate('2017-05-06T10:00:00'), modifyDate: exifDate('2017-05-06T10:00:00') });
    const out = afterCutoff.run([late, edge], settings);
    expect(out.has(late.itemId)).toBe(true);
    expect(out.has(edge.itemId)).toBe(false);
  });
  it('says nothing without a cutoff, or before it, and only notes it on a verified file', async () => {
    const d = await memoFacts({ modified: '2017-05-07T08:00:00Z' }, { verified: true });
    const ok = await memoFacts();
    expect(afterCutoff.run([d, ok], { orgDomains: [] }).size).toBe(0);
    const out = afterCutoff.run([d, ok], settings);
    expect(out.get(d.itemId)?.[0]?.severity).toBe('info');
    expect(out.has(ok.itemId)).toBe(false);
  });
});

describe('doc.modified-after-email', () => {
  it('flags an attachment saved days after the email carrying it', async () => {
    const d = await memoFacts({}, { carriers: [{ itemId: 99, date: '2017-01-30T10:00:00Z', verified: false }] });
    const f = modifiedAfterEmail.run([d], settings).get(d.itemId)?.[0];
    expect(f?.severity).toBe('warning');
    expect(f?.evidence['carriers']).toEqual([{ itemId: 99, date: '2017-01-30T10:00:00Z', verified: false }]);
  });
  it('allows 14 hours for time zones and ignores later emails', async () => {
    const d = await memoFacts({}, { carriers: [{ itemId: 1, date: '2017-02-01T22:00:00Z', verified: false }, { itemId: 2, date: '2017-02-03T10:00:00Z', verified: false }] });
    expect(modifiedAfterEmail.run([d], settings).size).toBe(0);
  });
});

describe('doc.editor-outlier', () => {
  const baseline = (): Promise<DocumentFacts[]> => Promise.all(['Émilie Durand', 'Julien Moreau', 'Sophie Lefèvre', 'Thomas Bernard'].map((n) => memoFacts({ author: n, lastModifiedBy: n }, { verified: true })));
  it('flags a Cyrillic editor, a foreign Office language and an anachronistic AppVersion', async () => {
    const base = await baseline();
    const cyr = await memoFacts({ lastModifiedBy: 'Рошка Георгий Петрович' });
    const ru = await memoFacts({ lang: 'ru-RU', runLang: 'fr-FR' });
    const old = await memoFacts({ appVersion: '16.0000', created: '2013-03-01T10:00:00Z', modified: '2013-03-02T10:00:00Z' });
    const out = editorOutlier.run([...base, cyr, ru, old], settings);
    expect(out.get(cyr.itemId)?.[0]?.evidence['outliers']).toEqual([{ field: 'lastModifiedBy', name: 'Рошка Георгий Петрович', script: 'Cyrillic' }]);
    expect(out.get(ru.itemId)?.[0]?.message).toMatch(/language tags ru/);
    expect(out.get(old.itemId)?.[0]?.message).toMatch(/Office 2016.*2013-03-02/);
    for (const d of [cyr, ru, old]) expect(out.get(d.itemId)?.[0]?.severity).toBe('warning');
  });
  it('flags a tracked change or comment by a Cyrillic-script reviewer, not a Latin-script outside reviewer', async () => {
    const base = await baseline();
    const withReviewers = async (authors: string[]): Promise<DocumentFacts> => {
      const d = await memoFacts({ author: 'Julien Moreau', lastModifiedBy: 'Julien Moreau' });
      const changes = authors.map((author) => ({ type: 'ins', author, date: '2017-03-27T10:00:00Z' }));
      return { ...d, metadata: { ...d.metadata, ooxml: { languages: [], rsids: [], rsidCount: 0, trackedChanges: changes, comments: [] } } };
    };
    const ru = await withReviewers(['Sophie Lefèvre', 'Рошка Георгий Петрович']);
    const partner = await withReviewers(['Marc Weber (avocat)']);
    const odt = { ...(await memoFacts({ author: 'Julien Moreau', lastModifiedBy: 'Julien Moreau' })) };
    odt.metadata = { ...odt.metadata, odf: { trackedChanges: [], comments: [{ author: 'Ιωάννης Παπαδόπουλος', date: '2017-03-27T10:00:00' }] } };
    const out = editorOutlier.run([...base, ru, partner, odt], settings);
    expect(out.get(ru.itemId)?.[0]?.message).toBe('tracked change author "Рошка Георгий Петрович" is written in Cyrillic script; the organisation\'s names are Latin');
    expect(out.get(odt.itemId)?.[0]?.message).toMatch(/comment author "Ιωάννης Παπαδόπουλος" is written in Greek script/);
    expect(out.has(partner.itemId)).toBe(false);
  });
  it('warns on an unknown name only when the file claims the organisation\'s company', async () => {
    const base = await baseline();
    const inside = await memoFacts({ author: 'Pierre Martin', lastModifiedBy: 'Pierre Martin' });
    const partner = await memoFacts({ author: 'Marc Weber', lastModifiedBy: 'Marc Weber', company: 'Agence Weber' });
    const staff = await memoFacts({ author: 'Julien Moreau', lastModifiedBy: 'Sophie Lefèvre', appVersion: '15.0000' });
    const out = editorOutlier.run([...base, inside, partner, staff], settings);
    expect(out.get(inside.itemId)?.[0]?.severity).toBe('warning');
    expect(out.get(partner.itemId)?.[0]?.severity).toBe('info');
    expect(out.has(staff.itemId)).toBe(false);
    for (const b of base) expect(out.has(b.itemId)).toBe(false);
  });
  const rtf = (cp: number, author: string): Buffer => Buffer.from(`{\\rtf1\\ansi\\ansicpg${cp}\\deff0{\\info{\\author ${author}}{\\company Northwind}}Budget 2017\\par}`, 'latin1');
  it('flags a legacy file saved in a codepage the organisation\'s files do not use (1251 among 1252)', async () => {
    const base = await Promise.all(['Emilie Durand', 'Julien Moreau', 'Sophie Lefevre'].map((n) => facts(rtf(1252, n), 'application/rtf', { verified: true })));
    const cyr = await facts(rtf(1251, 'Julien Moreau'), 'application/rtf');
    expect(cyr.metadata['codepage']).toBe(1251);
    const f = editorOutlier.run([...base, cyr], settings).get(cyr.itemId)?.[0];
    expect(f?.severity).toBe('warning');
    expect(f?.message).toMatch(/codepage 1251 \(Cyrillic\), a locale none of the organisation's files use \(Western European\)/);
  });
  it('leaves alone the usual codepage, Unicode codepages and files that have none', async () => {
    const base = await Promise.all(['Emilie Durand', 'Julien Moreau', 'Sophie Lefevre'].map((n) => facts(rtf(1252, n), 'application/rtf', { verified: true })));
    const same = await facts(rtf(1252, 'Julien Moreau'), 'application/rtf');
    const utf8 = await facts(rtf(65001, 'Julien Moreau'), 'application/rtf');
    const docx = await memoFacts({ author: 'Julien Moreau', lastModifiedBy: 'Julien Moreau' });
    const out = editorOutlier.run([...base, same, utf8, docx], settings);
    for (const d of [same, utf8, docx]) expect(out.get(d.itemId) ?? []).toEqual([]);
  });
  it('does not judge codepages of a collection that mixes them without verified files', async () => {
    const docs = await Promise.all([1252, 1251, 1250, 932, 1252].map((cp, i) => facts(rtf(cp, `Person ${i}`), 'application/rtf')));
    expect([...editorOutlier.run(docs, settings).values()].flat().filter((f) => /codepage/.test(f.message))).toEqual([]);
  });
  itCorpus('on real files: Tika\'s Cyrillic-codepage Word file among its Western Word files; nothing in the whole mixed set', async () => {
    const dir = '../shared/corpus/documents/tika/microsoft';
    const read = (n: string): Promise<DocumentFacts> => facts(readFileSync(`${dir}/${n}`), 'application/msword');
    const western = await Promise.all(['testWORD.doc', 'testComment.doc', 'testDocumentLink.doc', 'testWORD_boldHyperlink.doc'].map(read));
    for (const w of western) expect(w.metadata['codepage']).toBe(1252);
    const cyrillic = await read('testWORD_closingSmartQInHyperLink.doc');
    const out = editorOutlier.run([...western.map((w) => ({ ...w, verified: true })), cyrillic], settings);
    expect(out.get(cyrillic.itemId)?.[0]?.message).toMatch(/codepage 1251 \(Cyrillic\)/);
    // Unverified, nearly all Western (1252, Mac Roman) plus Unicode ones: the few Cyrillic and Central
    // European files stand out; Mac Roman and Unicode files do not.
    const names = readdirSync(dir).filter((n) => /\.(doc|xls|ppt)$/.test(n)).sort();
    const all = await Promise.all(names.map((n) => facts(readFileSync(`${dir}/${n}`), 'application/x-tika-msoffice')));
    expect(all.filter((d) => d.metadata['codepage'] !== undefined).length).toBeGreaterThan(60);
    const found = editorOutlier.run(all, settings);
    const flagged = all.filter((d) => (found.get(d.itemId) ?? []).some((f) => /codepage/.test(f.message)));
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.filter((d) => d.metadata['codepage'] !== 1251 && d.metadata['codepage'] !== 1250)).toEqual([]);
  });
  it('does not judge languages in a heterogeneous collection without verified files', async () => {
    const docs = await Promise.all(['fr-FR', 'de-DE', 'en-US', 'ja-JP', 'es-ES'].map((lang) => memoFacts({ lang })));
    expect(editorOutlier.run(docs, settings).size).toBe(0);
  });
});

describe('doc.batch-edit', () => {
  it('flags files created months apart and saved within minutes (MacronLeaks)', async () => {
    const docs = await Promise.all([0, 1, 2, 3].map((k) => memoFacts({ created: `2016-0${2 + 2 * k}-10T09:00:00Z`, modified: `2017-03-27T14:0${k}:30Z` })));
    const out = batchEdit.run(docs, settings);
    expect([...out.keys()].sort()).toEqual(docs.map((d) => d.itemId).sort());
    expect((out.get(docs[0]!.itemId)?.[0]?.evidence['batch'] as unknown[]).length).toBe(4);
  });
  it('ignores template copies saved together and an old file saved among new work', async () => {
    const copies = await Promise.all([0, 1, 2].map((k) => memoFacts({ created: '2017-02-06T09:00:00Z', modified: `2017-02-06T15:0${k}:00Z` })));
    const mixed = await Promise.all([['2016-01-05T09:00:00Z', '2017-03-14T11:00:00Z'], ['2017-03-14T08:00:00Z', '2017-03-14T11:03:00Z'], ['2017-03-14T09:00:00Z', '2017-03-14T11:06:00Z']].map(([c, m]) => memoFacts({ created: c, modified: m })));
    expect(batchEdit.run([...copies, ...mixed], settings).size).toBe(0);
  });
});

describe('pdf.revision-change', () => {
  const base = { lines: ['Facture 2017-014', 'Montant: 1 200 EUR'], producer: 'Microsoft® Word 2016', created: '2017-02-01T10:00:00Z', modified: '2017-02-01T10:00:00Z' };
  it('shows the words an update changed', async () => {
    const d = await facts(pdf([base, { lines: ['Facture 2017-014', 'Montant: 9 200 EUR'], modified: '2017-03-01T10:00:00Z' }]), 'application/pdf');
    const f = pdfRevisionChange.run([d], settings).get(d.itemId)?.[0];
    expect(f?.severity).toBe('warning');
    expect(f?.evidence['changes']).toEqual([{ context: 'Facture 2017-014 Montant:', before: '1', after: '9' }]);
  });
  it('flags a re-save by a PDF editor, notes a re-save by other software', async () => {
    const edited = await facts(pdf([base, { producer: 'PDF-XChange Editor 7.0' }]), 'application/pdf');
    const other = await facts(pdf([base, { producer: 'Adobe Acrobat Pro DC 15.0' }]), 'application/pdf');
    const out = pdfRevisionChange.run([edited, other], settings);
    expect(out.get(edited.itemId)?.[0]?.severity).toBe('warning');
    expect(out.get(other.itemId)?.[0]?.severity).toBe('info');
  });
  it('stays quiet on an empty update, a form fill and a signature', async () => {
    const docs = await Promise.all([
      pdf([base, {}]),
      pdf([base, { modified: '2017-02-02T10:00:00Z', extraObjects: ['<< /FT /Tx /T (montant) /V (1200) >>'] }]),
      pdf([base, { modified: '2017-02-02T10:00:00Z', extraObjects: ['<< /Type /Sig /Filter /Adobe.PPKLite /Contents <3082> >>'] }]),
    ].map((b) => facts(b, 'application/pdf')));
    expect(pdfRevisionChange.run(docs, settings).size).toBe(0);
  });
  itCorpus('on real files: Tika\'s incremental-update test changes text, Word hybrid-xref PDFs do not', async () => {
    const read = (n: string): Promise<DocumentFacts> => facts(readFileSync(`../shared/corpus/documents/tika/pdf/${n}`), 'application/pdf');
    const updated = await read('testPDF_incrementalUpdates.pdf');
    const benign = await Promise.all(['testPDFTwoTextBoxes.pdf', 'testOptionalHyphen.pdf', 'testPDFVarious.pdf', 'testPageNumber.pdf'].map(read));
    const out = pdfRevisionChange.run([updated, ...benign], settings);
    expect(out.get(updated.itemId)?.[0]?.severity).toBe('warning');
    expect(benign.filter((b) => out.has(b.itemId)).map((b) => [b.itemId, out.get(b.itemId)])).toEqual([]);
  }, 60_000);
});

describe('image.editing-software', () => {
  it('flags Photoshop among camera originals, not phone firmware strings', async () => {
    const originals = await Promise.all([
      photoFacts(), photoFacts({ make: 'samsung', model: 'SM-G930F', software: 'G930FXXU1DQB3' }),
      photoFacts({ make: 'Google', model: 'Pixel', software: 'HDR+ 1.0.141961878z' }), photoFacts({ make: 'NIKON', model: 'COOLPIX S3700', software: 'COOLPIX S3700V1.0' }),
    ]);
    const edited = await photoFacts({ software: 'Adobe Photoshop CC 2017 (Windows)' });
    const history = await photoFacts({ history: [{ action: 'saved', when: '2017-02-01T10:00:00Z', agent: 'GIMP 2.10' }] });
    const out = imageEditingSoftware.run([...originals, edited, history], settings);
    expect(out.get(edited.itemId)?.[0]?.severity).toBe('warning');
    expect(out.get(history.itemId)?.[0]?.evidence['xmpHistory']).toEqual(['saved 2017-02-01T10:00:00Z GIMP 2.10']);
    for (const o of originals) expect(out.has(o.itemId)).toBe(false);
  });
  it('only notes edited pictures in a set of edited pictures', async () => {
    const set = await Promise.all(['GIMP 2.10', 'Adobe Photoshop CS6', 'Adobe Photoshop CS6'].map((software) => photoFacts({ software })));
    const out = imageEditingSoftware.run(set, settings);
    for (const d of set) expect(out.get(d.itemId)?.[0]?.severity).toBe('info');
  });
});

describe('image.thumbnail-mismatch', () => {
  it('flags a retouched picture whose camera thumbnail shows the original', async () => {
    const d = await photoFacts({ picture: retouched(scene(7), { x: 0.55, y: 0.2, w: 0.25, h: 0.3 }, [250, 250, 250]), thumbnail: scene(7) });
    const f = imageThumbnailMismatch.run([d], settings).get(d.itemId)?.[0];
    expect(f?.severity).toBe('warning');
    expect(f?.evidence['differingCells']).toBeGreaterThanOrEqual(3);
  });
  it('accepts matching and letterboxed thumbnails; skips pictures without one or without bytes', async () => {
    const same = await photoFacts();
    const boxed = await photoFacts({ width: 320, height: 180, thumbLetterbox: { w: 160, h: 90 } });
    const none = await photoFacts({ thumbnail: null });
    const noBytes = { ...(await photoFacts({ picture: retouched(scene(7), { x: 0, y: 0, w: 0.5, h: 0.5 }, [0, 0, 0]), thumbnail: scene(7) })), bytes: undefined };
    expect(imageThumbnailMismatch.run([same, boxed, none, noBytes], settings).size).toBe(0);
  });
});
