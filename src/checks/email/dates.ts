// Dates in email checks: the one mail-date parser (shared with the DKIM verifier) and evidence formats.
export { parseMailDate } from '../../dkim/date.js';

/** ISO string for a time in ms, for evidence. */
export const isoOf = (t: number): string => new Date(t).toISOString();

/** Human duration for messages: "3 h 12 min", "2 days". */
export function formatDuration(ms: number): string {
  const min = Math.round(Math.abs(ms) / 60000);
  if (min < 60) return `${min} min`;
  if (min < 48 * 60) return `${Math.floor(min / 60)} h ${min % 60} min`;
  return `${Math.round(min / 1440)} days`;
}
