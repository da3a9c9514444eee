// The message's own Date: is the clock for forensic judgements (x= expiry, t= skew), never "now".

/** Parses an RFC 5322 date (comments and obsolete zones tolerated). Returns epoch ms or undefined. */
export function parseMailDate(value: string): number | undefined {
  const cleaned = value
    .replace(/\r\n/g, ' ')
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!cleaned) return undefined;
  const ms = Date.parse(cleaned);
  if (Number.isFinite(ms)) return ms;
  // "3 Mar 2015 12:00:00 +0000" without weekday parses above; try dropping a bad weekday.
  const noDay = cleaned.replace(/^[A-Za-z]+,?\s*/, '');
  const ms2 = Date.parse(noDay);
  return Number.isFinite(ms2) ? ms2 : undefined;
}
