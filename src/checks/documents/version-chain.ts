// Does a near copy of a verified document fit a version chain with it (v1, v2, final, "(1)" copies),
// or does its metadata contradict one? Successive versions are near copies by nature: only metadata
// that no honest revision writes turns the difference into a red flag (docs/verdicts.md, "Near copies
// and version chains").
import type { Json } from '../../model.js';
import { editorNames, normaliseName } from './baseline.js';
import { parseDocDate, ZONE_TOLERANCE_MS } from './dates.js';
import { metaString, type DocumentFacts } from './facts.js';

export interface Contradiction {
  /** Machine-readable kind, for the evidence. */
  kind: 'environment' | 'unchanged-dates' | 'revision-order' | 'saved-after-carrier' | 'outside-author';
  /** One sentence for the reader. */
  what: string;
  detail: { [k: string]: Json };
}

/** Same instant to the minute: Office rounds its dates to the second, copies keep them exactly. */
const SAME_MS = 60_000;

/** Application name without version numbers or build tags ("LibreOffice/7.3.7.2$Linux…" → "libreoffice"). */
const appFamily = (app: string): string => app.toLowerCase().replace(/[/$].*$/, '').replace(/[\d.]+/g, '').replace(/\s+/g, ' ').trim();
const majorVersion = (v: string): string => v.split('.')[0]!.replace(/^0+(?=\d)/, '');
const revisionOf = (d: DocumentFacts): number | undefined => {
  const r = metaString(d, 'revision');
  return r !== undefined && /^\d+$/.test(r) ? Number(r) : undefined;
};
const dateOf = (d: DocumentFacts, key: 'created' | 'modified'): number | undefined => {
  const v = metaString(d, key);
  return v ? parseDocDate(v)?.ms : undefined;
};

/** Names (author, last editor) per number of documents carrying them, for "outside the case". */
export function nameCounts(docs: readonly DocumentFacts[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of docs) for (const n of new Set(editorNames(d).map((e) => normaliseName(e.name)))) counts.set(n, (counts.get(n) ?? 0) + 1);
  return counts;
}

/**
 * What in `copy`'s metadata contradicts it being another version of `original` (empty: it fits a
 * version chain, and the difference is a lead, not a red flag). `names` from nameCounts over the case.
 */
export function chainContradictions(original: DocumentFacts, copy: DocumentFacts, names: Map<string, number>): Contradiction[] {
  const out: Contradiction[] = [];
  // Another editing environment: a version chain is edited with the organisation's software.
  for (const field of ['application', 'producer', 'company'] as const) {
    const a = metaString(original, field);
    const b = metaString(copy, field);
    if (!a || !b) continue;
    const differs = field === 'company' ? normaliseName(a) !== normaliseName(b) : appFamily(a) !== appFamily(b);
    if (differs) out.push({ kind: 'environment', what: `${field} "${b}" where the verified version has "${a}"`, detail: { field, verified: a, this: b } });
  }
  const av = metaString(original, 'appVersion');
  const bv = metaString(copy, 'appVersion');
  if (av && bv && majorVersion(av) !== majorVersion(bv) && !out.some((c) => c.detail['field'] === 'application')) {
    out.push({ kind: 'environment', what: `application version ${bv} where the verified version has ${av}`, detail: { field: 'appVersion', verified: av, this: bv } });
  }
  // Dates and revision counts: one lineage keeps its creation date; each save moves "modified" and the revision on.
  const createdA = dateOf(original, 'created');
  const createdB = dateOf(copy, 'created');
  const sameLineage = createdA === undefined || createdB === undefined || Math.abs(createdA - createdB) < SAME_MS;
  const modA = dateOf(original, 'modified');
  const modB = dateOf(copy, 'modified');
  const revA = revisionOf(original);
  const revB = revisionOf(copy);
  if (sameLineage && modA !== undefined && modB !== undefined && Math.abs(modA - modB) < SAME_MS && (revA === undefined || revA === revB)) {
    out.push({ kind: 'unchanged-dates', what: `content differs but the last-saved date (${metaString(copy, 'modified')})${revB !== undefined ? ` and revision ${revB}` : ''} are the verified version's: the content was changed without the editor saving it`, detail: { modified: metaString(copy, 'modified') ?? null, revision: revB ?? null } });
  } else if (sameLineage && modA !== undefined && modB !== undefined && revA !== undefined && revB !== undefined && Math.abs(modA - modB) >= SAME_MS && (modB > modA) !== (revB > revA) && revA !== revB) {
    out.push({
      kind: 'revision-order',
      what: `saved ${modB > modA ? 'after' : 'before'} the verified version but with ${revB > revA ? 'more' : 'fewer'} revisions (${revB} against ${revA})`,
      detail: { verifiedModified: metaString(original, 'modified') ?? null, thisModified: metaString(copy, 'modified') ?? null, verifiedRevision: revA, thisRevision: revB },
    });
  }
  // Saved after an email that carries it: those bytes existed when the email was sent.
  if (modB !== undefined) {
    for (const c of copy.carriers) {
      const sent = c.date ? parseDocDate(c.date)?.ms : undefined;
      if (sent !== undefined && modB > sent + ZONE_TOLERANCE_MS) {
        out.push({ kind: 'saved-after-carrier', what: `last saved ${metaString(copy, 'modified')}, after the Date: ${c.date} of email #${c.itemId} that carries it`, detail: { modified: metaString(copy, 'modified') ?? null, carrier: c.itemId, carrierDate: c.date ?? null } });
        break;
      }
    }
  }
  // An editor no other file of the case names.
  for (const e of editorNames(copy)) {
    if ((names.get(normaliseName(e.name)) ?? 0) <= 1) out.push({ kind: 'outside-author', what: `${e.field} "${e.name}" appears on no other file of the case`, detail: { field: e.field, name: e.name } });
  }
  return out;
}
