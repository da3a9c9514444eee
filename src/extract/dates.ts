// Date normalisation to ISO 8601 strings, keeping "no zone" when the source has none.

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** ISO string in UTC for a valid Date, else undefined. */
export function isoFromDate(d: Date | undefined | null): string | undefined {
  if (!d || Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().replace('.000Z', 'Z');
}

/**
 * Normalises the common textual date forms: ISO/W3CDTF (OOXML, ODF, XMP), EXIF `YYYY:MM:DD HH:MM:SS`,
 * PDF `D:YYYYMMDDHHmmSSOHH'mm'`. Keeps the zone as written (Z or ±hh:mm) or none.
 */
export function normaliseDateString(raw: string | undefined | null): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const s = String(raw).trim();
  if (!s) return undefined;
  const pdf = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*([Zz+-])?\s*(\d{2})?'?\s*(\d{2})?'?/.exec(s);
  if (pdf) {
    const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', sign, zh, zm] = pdf;
    let zone = '';
    if (sign === 'Z' || sign === 'z') zone = 'Z';
    else if (sign && zh) zone = `${sign}${zh}:${zm ?? '00'}`;
    if (zone === '+00:00' || zone === '-00:00') zone = 'Z';
    return `${y}-${mo}-${d}T${h}:${mi}:${se}${zone}`;
  }
  const m = /^(\d{4})[-:](\d{2})[-:](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, se = '00', , zone] = m;
    if (y === '0000') return undefined;
    const z = zone ? (zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`) : '';
    return h === undefined ? `${y}-${mo}-${d}` : `${y}-${mo}-${d}T${h}:${mi}:${se}${z === '+00:00' ? 'Z' : z}`;
  }
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : isoFromDate(new Date(t));
}

/** Windows FILETIME (100 ns ticks since 1601) to ISO; 0 and absurd values give undefined. */
export function isoFromFiletime(low: number, high: number): string | undefined {
  const ticks = BigInt(high >>> 0) * 4294967296n + BigInt(low >>> 0);
  if (ticks === 0n) return undefined;
  const ms = Number(ticks / 10000n) - 11644473600000;
  if (ms < -2208988800000 || ms > 4102444800000) return undefined; // outside 1900..2100
  return isoFromDate(new Date(ms));
}

/** ISO 8601 duration (`PT2H3M24S`, `P1DT…`) to whole minutes. */
export function minutesFromIsoDuration(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const m = /^-?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(raw.trim());
  if (!m) return undefined;
  const [, d = '0', h = '0', mi = '0', s = '0'] = m;
  return Number(d) * 1440 + Number(h) * 60 + Number(mi) + Math.round(Number(s) / 60 * 100) / 100;
}

export { pad };
