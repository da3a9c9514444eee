// A long ingest opens tens of thousands of PDFs in one extraction worker: each one must be freed
// once read. pdfjs-dist 5.4 kept every document's transport in a static listener list, so the
// worker's heap grew about 1 MB per 1,000 PDFs (the 1 GB mbox benchmark lost ~30 MB to it).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { openPdf, pdfInfo, pdfText } from '../src/extract/pdfjs.js';
import { extract } from '../src/extract/index.js';
import { collectGarbage } from '../src/util/heap.js';
import { describeCorpus } from './helpers/corpus.js';

const D = '../shared/corpus/documents';
const PDFS = ['tika/pdf/testPDFTwoTextBoxes.pdf', 'tika/pdf/testPDF_XMPBasicSchema.pdf', 'exiftool/images/PDF.pdf'].map((p) => `${D}/${p}`);

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** True once nothing reachable holds the object any more (WeakRefs clear only between jobs). */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 5; i++) {
    await settle();
    collectGarbage();
    await settle();
    if (ref.deref() === undefined) return true;
  }
  return false;
}

/** Reads one PDF as the extractor does and destroys it; only a weak reference to it leaves. */
async function readThenDestroy(path: string): Promise<WeakRef<object>> {
  const doc = await openPdf(readFileSync(path));
  expect((await pdfInfo(doc)).numPages).toBeGreaterThan(0);
  await pdfText(doc, 10_000, []);
  const ref = new WeakRef(doc.loadingTask);
  await doc.destroy();
  return ref;
}

describeCorpus('PDF documents are released after reading', () => {
  it('frees the loading task of every document once it is destroyed', async () => {
    const refs: WeakRef<object>[] = [];
    for (const path of PDFS) refs.push(await readThenDestroy(path));
    for (const ref of refs) expect(await collected(ref)).toBe(true);
  });

  it('keeps the live heap flat over many extractions of the same PDFs', async () => {
    const bytes = PDFS.map((p) => readFileSync(p));
    const liveAfter = async (rounds: number): Promise<number> => {
      for (let i = 0; i < rounds; i++) for (const b of bytes) await extract(b, 'application/pdf', 'x.pdf');
      await settle();
      collectGarbage();
      return process.memoryUsage().heapUsed;
    };
    const base = await liveAfter(20);
    const after = await liveAfter(100);
    // 300 more documents: with the leak this grew by ~1.7 MB; allocator noise stays well under it.
    expect(after - base).toBeLessThan(400 * 1024);
  });
});
