// image.editing-software: a picture passed through an editor among pictures straight from cameras.
import type { Finding, Json } from '../../model.js';
import { addFinding, asArray, byId, metaString, severityFor, type DocumentCheck, type DocumentFacts } from './facts.js';
import { editingHistory, isEditor } from './image-software.js';

/** Camera originals needed before an edited picture stands out. */
const MIN_ORIGINALS = 3;

function editSignals(doc: DocumentFacts): { software?: string; history: string[] } {
  const sw = metaString(doc, 'software');
  const tool = metaString(doc, 'creatorTool');
  const history = editingHistory(asArray(doc.metadata['xmpHistory']).filter((h): h is string => typeof h === 'string'));
  const software = [sw, tool].find((s): s is string => !!s && isEditor(s));
  return { ...(software ? { software } : {}), history };
}

const isEdited = (doc: DocumentFacts): boolean => {
  const s = editSignals(doc);
  return !!s.software || s.history.length > 0;
};
const isCameraOriginal = (doc: DocumentFacts): boolean =>
  !isEdited(doc) && (!!metaString(doc, 'cameraMake') || !!metaString(doc, 'cameraModel')) && !!metaString(doc, 'dateTimeOriginal');

export const imageEditingSoftware: DocumentCheck = {
  meta: {
    id: 'image.editing-software',
    title: 'Picture saved by editing software among camera originals',
    description:
      'EXIF Software or XMP history names an image editor (Photoshop, GIMP, Lightroom, Snapseed…) that saved, converted or derived this picture, while the dump\'s other pictures come straight from cameras and phones (firmware strings such as "16.1.2" or "HDR+ 1.0" are not editors). An edited picture may show something the camera did not. Innocent explanations: cropping, resizing, colour correction or rotation before sending; in a set where most pictures were edited (press kits, web exports) it is only a note.',
    severity: 'warning',
  },
  run(docs) {
    const out = new Map<number, Finding[]>();
    const images = byId(docs).filter((d) => d.kind === 'image');
    const originals = images.filter(isCameraOriginal).length;
    const edited = images.filter(isEdited);
    const standsOut = originals >= MIN_ORIGINALS && originals >= 2 * edited.length;
    for (const doc of edited) {
      const s = editSignals(doc);
      const evidence: { [k: string]: Json } = { cameraOriginals: originals, editedImages: edited.length };
      if (s.software) evidence['software'] = s.software;
      if (s.history.length) evidence['xmpHistory'] = s.history;
      const make = [metaString(doc, 'cameraMake'), metaString(doc, 'cameraModel')].filter(Boolean).join(' ');
      if (make) evidence['camera'] = make;
      addFinding(out, doc.itemId, {
        check: 'image.editing-software',
        severity: severityFor(doc, standsOut ? 'warning' : 'info'),
        message: `saved by ${s.software ?? 'an image editor'}${s.history.length ? ` (XMP history: ${s.history[0]})` : ''}${standsOut ? `; ${originals} other pictures are camera originals` : ''}`,
        evidence,
      });
    }
    return out;
  },
};
