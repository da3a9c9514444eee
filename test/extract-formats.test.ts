// Behaviour of each extractor on real corpus files (and one constructed OLE file for code pages).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import CFB from 'cfb';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { extract, extractorFor } from '../src/extract/index.js';
import { detectLanguage } from '../src/extract/language.js';
import { scanRevisions } from '../src/extract/pdf-revisions.js';
import { itCorpus } from './helpers/corpus.js';

const D = '../shared/corpus/documents';
const read = (p: string): Buffer => readFileSync(join(D, p));
async function ex(p: string, mediaType = 'application/octet-stream') {
  const r = await extract(read(p), mediaType, p);
  if (!r) throw new Error(`no extraction for ${p}`);
  return r;
}

describe('OOXML', () => {
  itCorpus('reads core/app/custom properties, languages and rsids of a docx', async () => {
    const r = await ex('tika/microsoft/testWORD_custom_props.docx');
    expect(r.metadata).toMatchObject({
      author: 'EJ04325S', lastModifiedBy: 'Etienne Jouvin', created: '2011-07-29T16:52:00Z', modified: '2012-01-03T22:14:00Z',
      application: 'Microsoft Office Word', company: 'EDF-DIT', template: 'Normal.dotm', title: 'My Title', pageCount: 1,
    });
    expect(r.metadata.raw['custom.xml']).toMatchObject({ MyCustomString: 'MyStringValue', myCustomBoolean: true });
    expect(r.ooxml?.languages[0]).toEqual({ lang: 'en-US', count: 4 });
    expect(r.ooxml?.rsidCount).toBe(15);
    expect(r.ooxml?.rsids).toHaveLength(15);
    expect(r.text).toBe('Document content');
  });

  itCorpus('lists tracked changes and comments with authors and dates', async () => {
    const r = await ex('tika/microsoft/testWORD_2006ml.docx');
    expect(r.ooxml?.trackedChanges.length).toBeGreaterThan(0);
    expect(r.ooxml?.trackedChanges[0]).toEqual({ type: 'ins', author: 'Allison, Timothy B.', date: '2016-11-22T13:45:00Z' });
    expect(r.ooxml?.trackedChanges.some((c) => c.type === 'del')).toBe(true);
    const c = await ex('tika/microsoft/testComment.docx');
    expect(c.ooxml?.comments[0]).toEqual({ author: 'Michael McCandless', date: '2011-09-17T08:32:00Z', initials: 'MM' });
  });

  itCorpus('gives the xlsx last save path and cell values per sheet', async () => {
    const r = await ex('tika/microsoft/testEXCEL_diagramData.xlsx');
    expect(r.ooxml?.lastSavePath).toBe('C:\\Users\\tallison\\Desktop\\working\\TIKA-1945\\');
    const x = await ex('tika/microsoft/testEXCEL.xlsx');
    expect(x.metadata.title).toBe('Simple Excel document');
    expect(x.cells?.length).toBeGreaterThan(10);
    expect(x.cells?.[0]?.sheet).toBe('Feuil1');
    expect(x.text).toContain('Sample Excel Worksheet');
  });

  itCorpus('reports an encrypted OOXML (EncryptedPackage in an OLE container)', async () => {
    const r = await ex('tika/microsoft/testWORD_protected_passtika.docx', 'application/x-cfb');
    expect(r.encrypted).toBe(true);
    expect(r.problems.join(' ')).toMatch(/password-protected Office Open XML/);
  });
});

/** A minimal MS-OLEPS SummaryInformation stream with a code page and VT_LPSTR author/title. */
function summaryStream(codepage: number, author: Buffer, title: Buffer): Buffer {
  const lpstr = (b: Buffer): Buffer => {
    const n = b.length + 1;
    const out = Buffer.alloc(8 + ((n + 3) & ~3));
    out.writeUInt16LE(30, 0);
    out.writeUInt32LE(n, 4);
    b.copy(out, 8);
    return out;
  };
  const cp = Buffer.alloc(8);
  cp.writeUInt16LE(2, 0);
  cp.writeUInt16LE(codepage, 4);
  const values: [number, Buffer][] = [[1, cp], [4, lpstr(author)], [2, lpstr(title)]];
  const tableLen = 8 + values.length * 8;
  let off = tableLen;
  const table = Buffer.alloc(tableLen);
  values.forEach(([id, v], i) => {
    table.writeUInt32LE(id, 8 + i * 8);
    table.writeUInt32LE(off, 12 + i * 8);
    off += v.length;
  });
  table.writeUInt32LE(off, 0);
  table.writeUInt32LE(values.length, 4);
  const header = Buffer.alloc(48);
  header.writeUInt16LE(0xfffe, 0);
  header.writeUInt32LE(1, 24);
  Buffer.from('e0859ff2f94f6810ab9108002b27b3d9', 'hex').copy(header, 28);
  header.writeUInt32LE(48, 44);
  return Buffer.concat([header, table, ...values.map(([, v]) => v)]);
}

describe('legacy OLE', () => {
  it('decodes cp1251 author names through the property set code page', async () => {
    const author = 'Рошка Георгий Петрович';
    const cfb = CFB.utils.cfb_new();
    CFB.utils.cfb_add(cfb, '\u0005SummaryInformation', summaryStream(1251, iconv.encode(author, 'cp1251'), iconv.encode('Отчёт', 'cp1251')));
    CFB.utils.cfb_add(cfb, 'WordDocument', Buffer.alloc(64));
    const bytes = Buffer.from(CFB.write(cfb, { type: 'buffer' }) as Uint8Array);
    const r = await extract(bytes, 'application/msword', 'leak.doc');
    expect(r?.metadata.author).toBe(author);
    expect(r?.metadata.title).toBe('Отчёт');
    expect(r?.problems).toEqual([]);
  });

  itCorpus('reads SummaryInformation and DocumentSummaryInformation of a .doc', async () => {
    const r = await ex('tika/microsoft/testWORD_custom_props.doc');
    expect(r.metadata).toMatchObject({
      author: 'EJ04325S', lastModifiedBy: 'Etienne Jouvin', created: '2010-10-05T09:03:00Z', modified: '2012-01-03T22:14:00Z',
      application: 'Microsoft Office Word', company: 'EDF-DIT', template: 'Normal.dotm',
    });
    expect(r.metadata.raw['ole.custom']).toMatchObject({ MyCustomString: 'MyStringValue' });
  });

  itCorpus('reports password-protected .doc/.xls/.ppt', async () => {
    for (const f of ['testWORD_protected_passtika.doc', 'testEXCEL_protected_passtika.xls', 'testPPT_protected_passtika.ppt']) {
      expect((await ex(`tika/microsoft/${f}`)).encrypted, f).toBe(true);
    }
    expect((await ex('tika/microsoft/testWORD_custom_props.doc')).encrypted).toBeUndefined();
  });
});

describe('PDF', () => {
  itCorpus('lists incremental updates, skipping the linearization section, with per-revision Info and text', async () => {
    const r = await ex('tika/pdf/testPDF_incrementalUpdates.pdf');
    expect(r.pdfRevisions?.map((v) => v.endOffset)).toEqual([16242, 41226, 64872]);
    expect(r.pdfRevisions?.map((v) => v.infoDates?.modified)).toEqual(['2023-04-10T10:37:44-06:00', '2023-04-10T10:38:50-06:00', '2023-04-10T10:42:17-06:00']);
    expect(r.pdfRevisions?.[0]?.text).not.toContain('Testing Incremental');
    expect(r.pdfRevisions?.[1]?.text).toContain('Testing Incremental');
    expect(scanRevisions(read('tika/pdf/testPDF_incrementalUpdates.pdf')).linearized).toBe(true);
  });

  itCorpus('keeps Info and XMP apart when they disagree', async () => {
    const r = await ex('tika/pdf/testPDF-TIKA-4444.pdf');
    expect(r.metadata.title).toBe('pdf-title');
    expect(r.metadata.raw['xmp']).toMatchObject({ 'dc:title': { 'x-default': 'xmp-dc-title' }, 'xmp:CreatorTool': 'xmp-xmp-creator-tool' });
    expect(r.pdfRevisions).toHaveLength(2);
    expect(r.text).toContain('Lorem ipsum');
    const one = await ex('tika/pdf/testPDF.pdf');
    expect(one.pdfRevisions).toHaveLength(1);
    expect(one.metadata.author).toBe('Bertrand Delacrétaz');
  });

  itCorpus('reports encryption', async () => {
    const r = await ex('tika/pdf/testPDF_protected.pdf');
    expect(r.encrypted).toBe(true);
    expect(r.metadata.author).toBe('The Bank of England');
    const locked = await ex('tika/pdf/testPDF_no_extract_no_accessibility_owner_user.pdf');
    expect(locked.encrypted).toBe(true);
    expect(locked.problems.join(' ')).toMatch(/user password/);
  });
});

describe('images', () => {
  itCorpus('reads EXIF camera, software, dates and GPS', async () => {
    const r = await ex('tika/image/testJPEG_GEO.jpg', 'image/jpeg');
    expect(r.metadata).toMatchObject({
      cameraMake: 'Canon', cameraModel: 'Canon EOS 40D', software: 'Adobe Photoshop CS3 Macintosh',
      dateTimeOriginal: '2009-08-11T09:09:45', modified: '2009-10-02T23:02:49',
    });
    expect(r.metadata.gps?.lat).toBeCloseTo(12.54321, 4);
    expect(r.metadata.gps?.lon).toBeCloseTo(-54.1234, 3);
    expect((await ex('exiftool/images/Nikon.jpg', 'image/jpeg')).metadata.hasThumbnail).toBe(true);
    expect((await ex('tika/image/testJPEG_GEO.jpg', 'image/jpeg')).metadata.hasThumbnail).toBeUndefined();
  });

  itCorpus('lists the XMP edit history', async () => {
    const r = await ex('tika/image/testJPEG_EXIF_emptyDateTime.jpg', 'image/jpeg');
    expect(r.metadata.xmpHistory?.[0]).toBe('created 2012-04-30T12:52:07-04:00 Adobe Photoshop CS5 Macintosh');
    expect(r.metadata.xmpHistory?.length).toBeGreaterThan(3);
  });

  itCorpus('reads EXIF from a WebP EXIF chunk', async () => {
    expect((await ex('exiftool/images/RIFF.webp', 'image/webp')).metadata.artist).toBe('me');
  });
});

describe('text formats', () => {
  itCorpus('RTF: text in the document code page and the info group', async () => {
    const cz = await ex('tika/microsoft/testRTFWindowsCodepage1250.rtf');
    expect(cz.text).toContain('zażółć gęślą jaźń');
    const r = await ex('exiftool/images/RTF.rtf');
    expect(r.metadata).toMatchObject({ title: 'ExifTool RTF test (with spécîål çhars)', author: 'an author {with braces}', modified: '2010-06-19T20:00:00' });
  });

  itCorpus('ODF: meta.xml and body text without change-tracking records', async () => {
    const r = await ex('tika/miscoffice/testODFwithOOo3.odt');
    expect(r.metadata).toMatchObject({ title: 'Apache Tika', author: 'Bart Hanssens', created: '2009-10-05T19:04:01', revision: '2', pageCount: 2 });
    expect(r.text).toContain('Tika is part of the Lucene project.');
    expect(r.text).not.toContain('2009-10-05T19:09:00');
  });

  itCorpus('ODF: tracked-change and annotation authors with dates (past changes stay listed with recording off)', async () => {
    const r = await ex('tika/miscoffice/testODFwithOOo3.odt');
    expect(r.odf?.trackedChanges.length).toBeGreaterThanOrEqual(2);
    expect(new Set(r.odf?.trackedChanges.map((c) => c.type))).toEqual(new Set(['ins', 'del']));
    expect(r.odf?.trackedChanges[0]).toEqual({ type: 'ins', author: 'Bart Hanssens', date: '2009-10-05T19:09:00' });
    expect(r.odf?.comments).toContainEqual({ author: 'Bart Hanssens', date: '2009-10-05T19:10:26' });
    const anonymous = await ex('tika/miscoffice/testODTStyles3.odt');
    expect(anonymous.odf?.trackedChanges).toEqual([]);
    expect(anonymous.odf?.comments).toContainEqual({ date: '2017-01-31T00:00:00' });
    expect((await ex('tika/miscoffice/testFooter.odt')).odf).toBeUndefined();
  });

  itCorpus('HTML: title and text', async () => {
    const r = await ex('exiftool/images/HTML.html', 'application/xml');
    expect(r.metadata.title).toBe('ExifTool HTML Test');
  });

  it('plain text: detects a legacy charset and the language', async () => {
    const ru = 'Это был обычный день, и никто не знал, что в этот день все изменится. Он сказал, что не будет ничего делать для них, но она была уверена, что все будет хорошо и так, как надо.';
    const r = await extract(iconv.encode(ru.repeat(3), 'cp1251'), 'text/plain', 'note.txt');
    expect(r?.text?.slice(0, 20)).toBe(ru.slice(0, 20));
    expect(r?.language).toBe('ru');
    expect(detectLanguage('Le chat est sur la table et il ne veut pas partir, mais nous avons du travail pour les enfants.')).toBe('fr');
  });

  itCorpus('returns null for types without an extractor', async () => {
    expect(await extract(read('tika/pkg/test-documents.zip'), 'application/zip', 'test-documents.zip')).toBeNull();
    expect(extractorFor('audio/mpeg')).toBeUndefined();
    expect(extractorFor('application/pdf')?.name).toBe('pdf');
  });
});
