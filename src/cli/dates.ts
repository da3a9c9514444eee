// Dates typed on the command line. Only ISO 8601 is accepted: `01/06/2017` is 1 June in Paris and
// 6 January in New York, and a cutoff read the wrong way would flag or clear the wrong mail.

export const ACCEPTED_DATE_FORMS = [
  'YYYY-MM-DD (e.g. 2017-05-05: the end of that day, UTC)',
  'YYYY-MM-DDTHH:MMZ or YYYY-MM-DDTHH:MM:SSZ (UTC)',
  'YYYY-MM-DDTHH:MM:SS+02:00 (with an offset)',
];

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export class DateArgumentError extends Error {}

function validDay(y: string, m: string, d: string): boolean {
  const t = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return t.getUTCFullYear() === Number(y) && t.getUTCMonth() === Number(m) - 1 && t.getUTCDate() === Number(d);
}

/**
 * The instant an ISO 8601 date or timestamp names, as an ISO string in UTC. A bare day means "nothing
 * after that day": its last millisecond, UTC. Anything else (other orders, missing zone) is refused.
 */
export function parseIsoDateArgument(option: string, text: string): string {
  const value = text.trim();
  const day = DAY.exec(value);
  const time = day ? null : TIME.exec(value);
  const parts = day ?? time;
  const ok = parts !== null && validDay(parts[1] ?? '', parts[2] ?? '', parts[3] ?? '') && !Number.isNaN(Date.parse(value));
  if (!ok) {
    throw new DateArgumentError(
      `${option} ${text} is not an ISO 8601 date. Accepted forms: ${ACCEPTED_DATE_FORMS.join('; ')}. ` +
        'Day/month orders such as 01/06/2017 are refused because they are read differently from country to country.',
    );
  }
  const t = Date.parse(day ? `${value}T00:00:00Z` : value);
  return new Date(day ? t + 86_400_000 - 1 : t).toISOString();
}
