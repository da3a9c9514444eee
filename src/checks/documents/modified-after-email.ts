// doc.modified-after-email: an attachment cannot have been saved after the email that carries it was sent.
import type { Finding } from '../../model.js';
import { internalDates, parseDocDate, ZONE_TOLERANCE_MS } from './dates.js';
import { addFinding, byId, severityFor, type DocumentCheck } from './facts.js';

/** Fields that mean "the file was written then"; printing does not change the bytes. */
const WRITE_FIELDS = /^(created|modified|dateTimeOriginal|pdfRevisions\[\d+\]\.(created|modified))$/;

export const modifiedAfterEmail: DocumentCheck = {
  meta: {
    id: 'doc.modified-after-email',
    title: 'Attachment saved after the email that carries it',
    description:
      'The attachment\'s internal created/modified date is more than 14 hours after the Date: of an email carrying it. The email sent these exact bytes, so they existed at its date: either the email\'s date or the file (and hence the email that carries it) was fabricated later. Innocent explanation: a wrong clock on the author\'s computer, or document dates written in local time without zone (hence the 14-hour tolerance). On an attachment of a verified email it is only a note: the bytes are proven, so a clock was wrong.',
    severity: 'warning',
  },
  run(docs) {
    const out = new Map<number, Finding[]>();
    for (const doc of byId(docs)) {
      const written = internalDates(doc).filter((d) => WRITE_FIELDS.test(d.field));
      if (!written.length) continue;
      const latest = written.reduce((a, b) => (b.ms > a.ms ? b : a));
      const contradicted = doc.carriers
        .map((c) => ({ c, sent: c.date ? parseDocDate(c.date) : undefined }))
        .filter((x): x is { c: typeof x.c; sent: { ms: number; zoned: boolean } } => !!x.sent && latest.ms > x.sent.ms + ZONE_TOLERANCE_MS)
        .sort((x, y) => x.sent.ms - y.sent.ms || x.c.itemId - y.c.itemId);
      if (!contradicted.length) continue;
      const first = contradicted[0]!;
      const hours = Math.round((latest.ms - first.sent.ms) / 3600_000);
      const provenCarrier = contradicted.some((x) => x.c.verified);
      addFinding(out, doc.itemId, {
        check: 'doc.modified-after-email',
        severity: severityFor(doc, 'warning'),
        message: `${latest.field} ${latest.value} is ${hours} h after the Date: ${first.c.date} of email #${first.c.itemId} that carries it${provenCarrier ? ' (a verified carrier: the clock was wrong)' : ''}`,
        evidence: {
          field: latest.field,
          value: latest.value,
          carriers: contradicted.map((x) => ({ itemId: x.c.itemId, date: x.c.date ?? null, verified: x.c.verified })),
          toleranceHours: ZONE_TOLERANCE_MS / 3600_000,
        },
      });
    }
    return out;
  },
};
