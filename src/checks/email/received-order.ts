// received.order: trace headers are stamped by each server as the message passes, newest on top,
// so read bottom-up their clocks run forward, and the author's Date: comes just before the first hop.
import type { Finding, Json } from '../../model.js';
import type { CorpusCheck, EmailFacts } from '../corpus.js';
import { formatDuration, isoOf, parseMailDate } from './dates.js';
import { addFinding, headerValues } from './headers.js';

export const CLOCK_SKEW_MS = 10 * 60 * 1000;
/** Two consecutive hops further apart than this are "days apart": queues retry for days, rarely longer. */
export const HOP_GAP_MS = 24 * 3600 * 1000;
/** Date: this much before the first hop means the message waited days between writing and sending. */
export const DATE_BEFORE_FIRST_HOP_MS = 24 * 3600 * 1000;

export interface ReceivedHop {
  /** 0 = bottom (first server to receive it). */
  index: number;
  by?: string;
  from?: string;
  dateText?: string;
  time?: number;
}

/** Hops in chronological order (bottom header first). */
export function parseReceivedHops(email: EmailFacts): ReceivedHop[] {
  return headerValues(email, 'received').reverse().map((value, index) => {
    const semi = value.lastIndexOf(';');
    const dateText = semi >= 0 ? value.slice(semi + 1).trim() : undefined;
    const time = dateText ? parseMailDate(dateText) : undefined;
    const from = /\bfrom\s+(\S+)/i.exec(value)?.[1];
    const by = /\bby\s+(\S+)/i.exec(value)?.[1];
    return { index, ...(from ? { from } : {}), ...(by ? { by } : {}), ...(dateText ? { dateText } : {}), ...(time !== undefined ? { time } : {}) };
  });
}

const hopEvidence = (h: ReceivedHop): Json => ({
  hop: h.index + 1,
  from: h.from ?? null,
  by: h.by ?? null,
  date: h.dateText ?? null,
  utc: h.time === undefined ? null : isoOf(h.time),
});

export const receivedOrder: CorpusCheck = {
  perEmail: true,
  meta: {
    id: 'received.order',
    title: 'Received hops and Date: out of order',
    description:
      'Each mail server adds a Received header with its own clock, newest on top, so read bottom-up the ' +
      'timestamps run forward, and the Date: set by the author\'s client falls shortly before the first hop. ' +
      'Hops that go backwards, hops days apart, or a Date: hours after the first hop or days before it suggest ' +
      'headers copied from another message or a date edited by hand. Innocent explanations: a server or ' +
      'laptop with a wrong clock, a message queued for days on a failing server, a draft sent long after it ' +
      'was dated. Clock skew of up to 10 minutes is tolerated and unreadable dates are ignored.',
    severity: 'warning',
  },
  run(emails) {
    const out = new Map<number, Finding[]>();
    for (const email of emails) {
      const hops = parseReceivedHops(email).filter((h) => h.time !== undefined);
      if (hops.length === 0) continue;
      const problems: string[] = [];
      const pairs: Json[] = [];
      for (let i = 1; i < hops.length; i++) {
        const prev = hops[i - 1]!;
        const next = hops[i]!;
        const delta = next.time! - prev.time!;
        if (delta < -CLOCK_SKEW_MS) {
          problems.push(`hop ${next.index + 1} is stamped ${formatDuration(delta)} before hop ${prev.index + 1}`);
          pairs.push([hopEvidence(prev), hopEvidence(next)]);
        } else if (delta > HOP_GAP_MS) {
          problems.push(`hops ${prev.index + 1} and ${next.index + 1} are ${formatDuration(delta)} apart`);
          pairs.push([hopEvidence(prev), hopEvidence(next)]);
        }
      }
      const first = hops[0]!;
      const date = email.date ? Date.parse(email.date) : undefined;
      if (date !== undefined && !Number.isNaN(date)) {
        const lead = first.time! - date;
        if (lead < -CLOCK_SKEW_MS) problems.push(`Date: is ${formatDuration(lead)} after the first server received it`);
        else if (lead > DATE_BEFORE_FIRST_HOP_MS) problems.push(`Date: is ${formatDuration(lead)} before the first server received it`);
      }
      if (problems.length === 0) continue;
      addFinding(out, email.itemId, {
        check: 'received.order',
        severity: 'warning',
        message: `Received timestamps inconsistent: ${problems.join('; ')}.`,
        evidence: {
          problems,
          date: email.date ?? null,
          hops: parseReceivedHops(email).map(hopEvidence),
          pairs,
          toleranceMinutes: CLOCK_SKEW_MS / 60000,
        },
      });
    }
    return out;
  },
};
