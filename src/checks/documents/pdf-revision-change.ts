// pdf.revision-change: an incremental update that changed what the reader sees, or was written by
// another program. Empty updates (Word "Save as PDF"), linearisation (folded by the extractor), form
// filling (field values are not page text) and signatures (no text change) leave the text as it was.
import { compareTexts } from '../../nearcopy/diff.js';
import type { Finding, Json } from '../../model.js';
import { addFinding, asArray, asObject, byId, severityFor, type DocumentCheck } from './facts.js';

/** PDF editors that can change a page (images, text drawn as shapes) without changing its text layer. */
const PDF_EDITORS = /PDF-XChange|Foxit|Nitro|Sejda|PDFescape|iLovePDF|Smallpdf|PDFelement|Wondershare|Master PDF|PDF Studio|PDF Expert|Inkscape|Able2Extract|PDFfiller|DocHub|Soda PDF|PDF Candy|LibreOffice Draw|Draw\b/i;

interface Rev {
  index: number;
  endOffset?: number;
  producer?: string;
  text?: string;
}

const normaliseText = (t: string): string => t.replace(/\s+/g, ' ').trim();

/**
 * Text that "appears" in an update too small to hold it was there all along: the earlier prefix
 * could not reach some objects (Word's hybrid-reference files list them only in the later xref
 * stream), so that revision read short. A real insertion needs a content stream at least as large.
 */
function readingArtifact(before: Rev, after: Rev, changes: { removed: string; added: string }[]): boolean {
  if (before.endOffset === undefined || after.endOffset === undefined) return false;
  if (changes.some((c) => c.removed)) return false;
  const added = changes.reduce((n, c) => n + c.added.length, 0);
  const updateBytes = after.endOffset - before.endOffset;
  // A real insertion costs a content stream plus xref and trailer; 2 bytes per added character is a
  // generous floor for uncompressed text, and small updates only (large ones may hold compressed text).
  return updateBytes < 1024 && updateBytes < 2 * added;
}

export const pdfRevisionChange: DocumentCheck = {
  meta: {
    id: 'pdf.revision-change',
    title: 'PDF incremental update changed the text or the producing software',
    description:
      'A PDF keeps its earlier states when updated incrementally; each one is read on its own. A warning when an update changed the visible text (the evidence shows the words before and after), or when it was written by a PDF editor other than the program that made the file. Not flagged: an update that changes no text with the same producer — Word\'s "Save as PDF" empty second section, linearisation, filling form fields (their values are not page text), digital signatures, and text that only seems added because an earlier state could not reach all objects (Word hybrid-reference files: an update under 1 KB and under two bytes per character of the text it would add). Another producer without a text change is a note (signing and optimising tools rewrite the producer). Innocent explanation: a legitimate later revision (corrected figures, an added page) saved into the same file.',
    severity: 'warning',
  },
  run(docs) {
    const out = new Map<number, Finding[]>();
    for (const doc of byId(docs)) {
      const revs: Rev[] = asArray(doc.metadata['pdfRevisions']).map((r, i) => {
        const o = asObject(r) ?? {};
        const index = typeof o['index'] === 'number' ? o['index'] : i;
        return {
          index,
          ...(typeof o['endOffset'] === 'number' ? { endOffset: o['endOffset'] } : {}),
          ...(typeof o['producer'] === 'string' && o['producer'].trim() ? { producer: o['producer'].trim() } : {}),
          ...(typeof o['text'] === 'string' ? { text: o['text'] } : {}),
        };
      });
      for (let i = 1; i < revs.length; i++) {
        const before = revs[i - 1]!;
        const after = revs[i]!;
        const producerChanged = !!before.producer && !!after.producer && before.producer !== after.producer;
        const bothRead = before.text !== undefined && after.text !== undefined;
        const diff = bothRead && normaliseText(before.text ?? '') !== normaliseText(after.text ?? '')
          ? compareTexts(before.text ?? '', after.text ?? '', 1)
          : undefined;
        const textChanged = !!diff && diff.changeCount > 0 && !readingArtifact(before, after, diff.changes);
        if (!textChanged && !producerChanged) continue;
        const evidence: { [k: string]: Json } = { revisions: [before.index, after.index] };
        if (producerChanged) evidence['producers'] = [before.producer ?? null, after.producer ?? null];
        if (textChanged && diff) {
          evidence['changes'] = diff.changes.map((c) => ({ context: c.context, before: c.removed, after: c.added }));
          evidence['changeCount'] = diff.changeCount;
        }
        const byEditor = producerChanged && PDF_EDITORS.test(after.producer ?? '');
        const severity = textChanged || byEditor ? 'warning' : 'info';
        const what = textChanged
          ? `update ${after.index} changed the text of revision ${before.index} (${String(evidence['changeCount'])} change${evidence['changeCount'] === 1 ? '' : 's'})`
          : `update ${after.index} left the text unchanged`;
        addFinding(out, doc.itemId, {
          check: 'pdf.revision-change',
          severity: severityFor(doc, severity),
          message: `${what}${producerChanged ? `; producer "${before.producer}" → "${after.producer}"${byEditor ? ' (a PDF editor)' : ''}` : ''}`,
          evidence,
        });
      }
    }
    return out;
  },
};
