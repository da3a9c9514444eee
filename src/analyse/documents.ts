import type { Finding, Json } from '../model.js';
import type { Case } from '../store/case.js';
import type { DocumentFacts } from '../checks/documents/facts.js';
import { documentChecks } from '../checks/documents/index.js';
import { caseSettings } from './corpus.js';
import { HeapGovernor } from '../util/heap.js';
import { decodeSketch } from '../nearcopy/index.js';

function withoutRaw(metadata: { [k: string]: Json }): { [k: string]: Json } {
  const { raw: _raw, ...rest } = metadata;
  return rest;
}

/**
 * A document's facts with its text and cells read from the case when a check asks, not held for
 * every document at once. A class with a fixed shape: defining those getters on each object (as
 * before) turned it into a property dictionary of ~800 bytes, ~16 MB for 20,000 documents.
 */
class StoredDocument implements DocumentFacts {
  readonly itemId: number;
  readonly kind: 'document' | 'image';
  readonly mediaType: string;
  readonly metadata: { [k: string]: Json };
  readonly verified: boolean;
  readonly occurrencePaths: string[];
  readonly carriers: DocumentFacts['carriers'];
  readonly sketch: DocumentFacts['sketch'];
  readonly bytes: Uint8Array | undefined;

  constructor(
    private readonly kase: Case,
    private readonly stored: { text: boolean; cells: boolean },
    f: Omit<DocumentFacts, 'text' | 'cells'>,
  ) {
    this.itemId = f.itemId;
    this.kind = f.kind;
    this.mediaType = f.mediaType;
    this.metadata = f.metadata;
    this.verified = f.verified;
    this.occurrencePaths = f.occurrencePaths;
    this.carriers = f.carriers;
    this.sketch = f.sketch;
    this.bytes = f.bytes;
  }

  get text(): string | undefined {
    return this.stored.text ? (this.kase.textOf(this.itemId)?.text ?? undefined) : undefined;
  }

  get cells(): DocumentFacts['cells'] {
    return this.stored.cells ? ((this.kase.textOf(this.itemId)?.cells ?? undefined) as DocumentFacts['cells']) : undefined;
  }
}

/** Thumbnails are compared on pixels; larger images are left to the analyst (decoding is slow). */
const MAX_THUMBNAIL_IMAGE_BYTES = 20 * 1024 * 1024;

/**
 * Runs the checks that judge documents and images against the rest of the dump (cutoff, carrying
 * email's date, the organisation's editing baseline, batch edits, near copies of verified files).
 * Needs verdicts already decided: "verified" includes proof inherited from a carrying email.
 */
export async function runDocumentChecks(kase: Case): Promise<number> {
  const docs: DocumentFacts[] = [];
  const heap = new HeapGovernor();
  const ids = (kase.db.prepare("SELECT id FROM items WHERE kind IN ('document', 'image') ORDER BY id").all() as { id: number }[]).map((r) => r.id);
  for (const id of ids) {
    const item = kase.item(id);
    if (!item || (item.kind !== 'document' && item.kind !== 'image')) continue;
    const stored = kase.textPresence(item.id);
    const carriers: DocumentFacts['carriers'] = [];
    for (const o of kase.occurrencesOf(item.id)) {
      if (o.parentId === null) continue;
      const parent = kase.item(o.parentId);
      if (parent?.kind !== 'email') continue;
      const date = parent.metadata['date'];
      carriers.push({ itemId: parent.id, ...(typeof date === 'string' ? { date } : {}), verified: parent.verdict === 'verified' });
    }
    const wantsPixels = item.kind === 'image' && item.metadata['hasThumbnail'] === true && item.size <= MAX_THUMBNAIL_IMAGE_BYTES;
    const sketch = kase.sketchOf(id);
    docs.push(
      new StoredDocument(kase, stored, {
        itemId: item.id,
        kind: item.kind,
        mediaType: item.mediaType,
        // Raw per-source metadata (EXIF, XMP, property sets…) is for the report; the checks read the normalised fields.
        metadata: withoutRaw(item.metadata),
        verified: item.verdict === 'verified',
        occurrencePaths: kase.occurrencesOf(item.id).map((o) => o.path),
        carriers,
        sketch: sketch === undefined ? undefined : decodeSketch(sketch),
        bytes: wantsPixels ? await kase.blobs.read(item.sha256) : undefined,
      }),
    );
    heap.tick();
  }
  const settings = caseSettings(kase);
  const results = new Map<number, Finding[]>();
  for (const check of documentChecks) {
    for (const [id, findings] of check.run(docs, settings)) results.set(id, [...(results.get(id) ?? []), ...findings]);
  }
  kase.transaction(() => {
    for (const d of docs) kase.replaceFindings(d.itemId, 'corpus', results.get(d.itemId) ?? []);
  });
  return docs.length;
}
