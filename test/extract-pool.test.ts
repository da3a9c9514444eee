import { afterAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ExtractPool } from '../src/extract/pool.js';
import { describeCorpus, HAS_CORPUS } from './helpers/corpus.js';

const read = (p: string): Buffer => (HAS_CORPUS ? readFileSync(p) : Buffer.alloc(0));
const docx = read('../shared/corpus/documents/tika/microsoft/testWORD_text_box.docx');
const pdf = read('../shared/corpus/documents/tika/pdf/testPDF_angles.pdf');

describeCorpus('extraction off the main thread', () => {
  const pool = new ExtractPool();
  afterAll(() => pool.close());

  it('extracts in a worker and returns the same result shape', async () => {
    const out = await pool.extract(docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'x.docx');
    expect(out.ok).toBe(true);
    if (out.ok) expect(out.extraction?.text ?? '').toMatch(/\w+/);
  });

  it('turns a parser over its time budget into a reason, and the next file still works', async () => {
    const hurried = new ExtractPool({ timeoutMs: 1, maxHeapMb: 512 });
    const slow = await hurried.extract(pdf, 'application/pdf', 'angles.pdf');
    expect(slow).toEqual({ ok: false, reason: expect.stringMatching(/longer than/) });
    await hurried.close();
    const next = await pool.extract(pdf, 'application/pdf', 'angles.pdf');
    expect(next.ok).toBe(true);
  });

  it('turns a parser over its memory budget into a reason instead of crashing the ingest', async () => {
    const starved = new ExtractPool({ timeoutMs: 60_000, maxHeapMb: 2 });
    const out = await starved.extract(pdf, 'application/pdf', 'angles.pdf');
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.reason).toMatch(/memory|crashed|exited/);
    await starved.close();
  });
});
