// doc.after-cutoff: a file cannot have been edited after the dump was taken.
import type { Finding } from '../../model.js';
import { cutoffMs, internalDates, ZONE_TOLERANCE_MS } from './dates.js';
import { addFinding, byId, severityFor, type DocumentCheck } from './facts.js';

export const afterCutoff: DocumentCheck = {
  meta: {
    id: 'doc.after-cutoff',
    title: 'Internal timestamp after the leak\'s cutoff',
    description:
      'A created, modified, printed, PDF revision, tracked-change or EXIF date is later than the date the dump was taken: a file in the leak cannot have been edited after the leak, so either the file was added or altered later, or its timestamp is wrong. Innocent explanation: a computer or camera with a wrong clock (look for other files from the same author or device), or a cutoff set too early. Zone-less local times are given 14 hours of slack.',
    severity: 'warning',
  },
  run(docs, settings) {
    const out = new Map<number, Finding[]>();
    const cutoff = settings.cutoff ? cutoffMs(settings.cutoff) : undefined;
    if (cutoff === undefined) return out;
    for (const doc of byId(docs)) {
      const late = internalDates(doc).filter((d) => d.ms > cutoff + (d.zoned ? 0 : ZONE_TOLERANCE_MS));
      if (!late.length) continue;
      const first = late[0]!;
      addFinding(out, doc.itemId, {
        check: 'doc.after-cutoff',
        severity: severityFor(doc, 'warning'),
        message: `${first.field} ${first.value} is after the cutoff ${settings.cutoff}${late.length > 1 ? ` (and ${late.length - 1} more timestamp${late.length > 2 ? 's' : ''})` : ''}`,
        evidence: { cutoff: settings.cutoff ?? null, fields: late.map((d) => ({ field: d.field, value: d.value })) },
      });
    }
    return out;
  },
};
