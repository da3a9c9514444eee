// doc.batch-edit: files created months apart, all saved within the same few minutes (MacronLeaks).
import type { Finding } from '../../model.js';
import { parseDocDate } from './dates.js';
import { addFinding, byId, metaString, severityFor, type DocumentCheck, type DocumentFacts } from './facts.js';

export const BATCH_WINDOW_MS = 10 * 60_000;
export const MIN_BATCH = 3;
export const MIN_CREATED_SPREAD_MS = 30 * 86_400_000;

interface Dated {
  doc: DocumentFacts;
  modified: number;
  created: number;
  modifiedValue: string;
  createdValue: string;
}

export const batchEdit: DocumentCheck = {
  meta: {
    id: 'doc.batch-edit',
    title: 'Saved in one batch although created far apart',
    description:
      `At least ${MIN_BATCH} files were last modified within ${BATCH_WINDOW_MS / 60_000} minutes of each other although they were created on at least ${MIN_BATCH} different days spread over ${MIN_CREATED_SPREAD_MS / 86_400_000} days or more: someone opened and re-saved a set of old files in one sitting. In the 2017 MacronLeaks, documents created in 2016 were all modified within four minutes on 27 March 2017. Innocent explanations: a bulk conversion or migration, a script stamping templates, or someone tidying a folder. On verified files it is only a note.`,
    severity: 'warning',
  },
  run(docs) {
    const out = new Map<number, Finding[]>();
    const dated: Dated[] = [];
    for (const doc of byId(docs)) {
      const mv = metaString(doc, 'modified');
      const cv = metaString(doc, 'created');
      const m = mv ? parseDocDate(mv) : undefined;
      const c = cv ? parseDocDate(cv) : undefined;
      if (m && c && mv && cv) dated.push({ doc, modified: m.ms, created: c.ms, modifiedValue: mv, createdValue: cv });
    }
    dated.sort((a, b) => a.modified - b.modified || a.doc.itemId - b.doc.itemId);
    // Every window starting at a file; overlapping qualifying windows merge into one batch.
    const batches: Dated[][] = [];
    let end = 0;
    for (let i = 0; i < dated.length; i++) {
      while (end < dated.length && dated[end]!.modified - dated[i]!.modified <= BATCH_WINDOW_MS) end++;
      const window = dated.slice(i, end);
      if (window.length < MIN_BATCH) continue;
      const created = window.map((d) => d.created);
      if (Math.max(...created) - Math.min(...created) < MIN_CREATED_SPREAD_MS) continue;
      // One old file saved among today's work is ordinary; a batch re-saves files of many different days.
      if (new Set(created.map((ms) => Math.floor(ms / 86_400_000))).size < MIN_BATCH) continue;
      const last = batches.at(-1);
      if (last && last.includes(window[0]!)) {
        for (const d of window) if (!last.includes(d)) last.push(d);
      } else batches.push(window);
    }
    for (const batch of batches) {
      const created = batch.map((d) => d.created);
      const spreadDays = Math.round((Math.max(...created) - Math.min(...created)) / 86_400_000);
      const minutes = Math.round((batch.at(-1)!.modified - batch[0]!.modified) / 6_000) / 10;
      const members = batch.map((d) => ({ itemId: d.doc.itemId, created: d.createdValue, modified: d.modifiedValue }));
      for (const d of batch) {
        addFinding(out, d.doc.itemId, {
          check: 'doc.batch-edit',
          severity: severityFor(d.doc, 'warning'),
          message: `one of ${batch.length} files modified within ${minutes} min (from ${batch[0]!.modifiedValue}) although created ${spreadDays} days apart`,
          evidence: { batch: members, windowMinutes: minutes, createdSpreadDays: spreadDays },
        });
      }
    }
    return out;
  },
};
