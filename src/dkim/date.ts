// The one RFC 5322 date parser of tamis: the DKIM verifier judges x= and t= by the message's own
// Date: (never "now"), and the email checks compare Date and Received times with it.
// Hand-written because Date.parse is implementation-defined for the forms mail really carries:
// comments "(CEST)", named zones beyond the US ones, two-digit years, missing seconds, no zone
// (which Date.parse would read in the machine's local time).
import { stripComments } from './domain.js';

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

/** Offsets in minutes of zone names seen in Received and Date headers (RFC 5322 §4.3 plus common ones). */
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, WET: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  BST: 60, IST: 60, CET: 60, MET: 60, CEST: 120, MEST: 120, WEST: 60, EET: 120, EEST: 180,
  MSK: 180, JST: 540, KST: 540, HKT: 480, SGT: 480, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
};

/**
 * Milliseconds since the epoch for an RFC 5322 (or RFC 822, or ISO 8601) date, else undefined.
 * A named zone we do not know makes the date unparseable rather than silently UTC, so that checks
 * comparing dates never act on a guessed offset.
 */
export function parseMailDate(input: string): number | undefined {
  const s = stripComments(input).replace(/\s+/g, ' ').trim();
  const m = /^(?:[A-Za-z]{3,9},? )?(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{2,4}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)? ?([+-]\d{4}|[A-Za-z]{1,5})?$/.exec(s);
  if (m) {
    const [, d, mon, y, h, mi, se = '0', zone = '-0000'] = m;
    const month = MONTHS[(mon ?? '').toLowerCase()];
    if (month === undefined) return undefined;
    let year = Number(y);
    if ((y ?? '').length === 2) year += year < 50 ? 2000 : 1900;
    else if ((y ?? '').length === 3) year += 1900;
    const offset = zoneOffset(zone);
    if (offset === undefined) return undefined;
    const utc = Date.UTC(year, month, Number(d), Number(h), Number(mi), Number(se)) - offset * 60000;
    return plausible(utc);
  }
  const iso = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.exec(s);
  if (iso) return plausible(Date.parse(s.replace(' ', 'T')));
  return undefined;
}

function zoneOffset(zone: string): number | undefined {
  if (/^[+-]\d{4}$/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const hh = Number(zone.slice(1, 3));
    const mm = Number(zone.slice(3, 5));
    if (hh > 23 || mm > 59) return undefined;
    return sign * (hh * 60 + mm);
  }
  return ZONES[zone.toUpperCase()];
}

function plausible(t: number): number | undefined {
  // Before 1971 or after 2100 is a broken clock or a typo, not a date to reason with.
  return Number.isFinite(t) && t > 31536000000 && t < 4102444800000 ? t : undefined;
}
