// Finds the quoted original in a reply's plain text: "On … wrote:" attributions followed by `>` lines,
// Outlook header blocks ("-----Original Message-----", "From: … Sent: …", "De : … Envoyé : …") and
// forward headers followed by the original unprefixed. Hand-written: no maintained library parses quote
// attributions in several languages and returns the quoted runs separately (needed for inline replies).

export interface QuoteAttribution {
  text: string;
  addresses: string[];
  /** Display name written in the attribution or block's From:, when any. */
  name?: string;
  subject?: string;
  dateText?: string;
}

export interface QuoteSegment {
  style: 'prefixed' | 'block';
  attribution?: QuoteAttribution;
  /** Runs of quoted lines, quote prefix removed; an inline reply gives several runs. */
  chunks: string[][];
}

const NBSP = /[\u00a0\u202f]/g;
const depthOf = (line: string): number => (/^(\s*>)+/.exec(line)?.[0].replace(/[^>]/g, '').length ?? 0);
export const stripQuotePrefix = (line: string): string => line.replace(/^(\s*>)+ ?/, '');

const WROTE_START = /^(On|Le|Am|El|Il|Op|Em)\s/i;
const WROTE_END = /(wrote|a écrit|schrieb|escribió|ha scritto|schreef|escreveu)\s*:\s*$/i;
const SEPARATOR = /^\*?\s*-{2,}\s*(Original Message|Message d'origine|Ursprüngliche Nachricht|Mensaje original|Forwarded message|Message transféré)\s*-{2,}\s*\*?$/i;
const BEGIN_FORWARD = /^(Begin forwarded message|Début du message réexpédié|Anfang der weitergeleiteten Nachricht)\s*:\s*$/i;
const FIELD = /^\*?(From|De|Von|Da|Sent|Date|Envoyé|Gesendet|Datum|Enviado|Inviato|To|À|A|An|Para|Cc|Subject|Objet|Betreff|Asunto|Oggetto)\s*:\*?\s*(.*)$/i;
const FROM_FIELD = /^(From|De|Von|Da)$/i;
const DATE_FIELD = /^(Sent|Date|Envoyé|Gesendet|Datum|Enviado|Inviato)$/i;
const SUBJECT_FIELD = /^(Subject|Objet|Betreff|Asunto|Oggetto)$/i;

const addressesIn = (s: string): string[] => [...s.matchAll(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g)].map((m) => m[0].toLowerCase());

function wroteAttribution(lines: string[], i: number): { attribution: QuoteAttribution; next: number } | undefined {
  const first = lines[i]!;
  if (!WROTE_START.test(first)) return undefined;
  let joined = '';
  for (let k = i; k < Math.min(lines.length, i + 3); k++) {
    joined = `${joined} ${lines[k]!}`.trim();
    if (WROTE_END.test(joined)) {
      const body = joined.replace(WROTE_START, '').replace(WROTE_END, '');
      const name = /,\s*([^,<>]+?)\s*(<|$)/.exec(body.replace(/<[^>]*>\s*$/, (m) => ` ${m}`))?.[1];
      return { attribution: { text: joined, addresses: addressesIn(joined), ...(name ? { name: name.trim() } : {}) }, next: k + 1 };
    }
  }
  return undefined;
}

function headerBlock(lines: string[], i: number): { attribution: QuoteAttribution; next: number } | undefined {
  let k = i;
  const line = lines[k]!.trim();
  const separated = SEPARATOR.test(line) || BEGIN_FORWARD.test(line);
  if (separated) {
    k++;
    while (k < lines.length && lines[k]!.trim() === '') k++;
  }
  const fields = new Map<string, string>();
  let start = k;
  let lastKey: string | undefined;
  for (; k < lines.length; k++) {
    const l = lines[k]!.trim();
    if (l === '') break;
    const m = FIELD.exec(l);
    if (m) {
      lastKey = m[1]!;
      fields.set(lastKey.toLowerCase(), m[2]!.trim());
    } else if (lastKey) fields.set(lastKey.toLowerCase(), `${fields.get(lastKey.toLowerCase())} ${l}`);
    else return undefined;
  }
  const keys = [...fields.keys()];
  const from = keys.find((x) => FROM_FIELD.test(x));
  const date = keys.find((x) => DATE_FIELD.test(x));
  const subject = keys.find((x) => SUBJECT_FIELD.test(x));
  // A lone "From:" line in prose is not a header block: require From plus a date or subject.
  if (!from || (!date && !subject) || (!separated && !FROM_FIELD.test(FIELD.exec(lines[start]!.trim())?.[1] ?? ''))) return undefined;
  const fromText = fields.get(from)!;
  const name = fromText.replace(/<[^>]*>|\[mailto:[^\]]*\]|"/g, '').trim();
  start = i;
  return {
    attribution: {
      text: lines.slice(start, k).join('\n'),
      addresses: addressesIn(fromText),
      ...(name && !name.includes('@') ? { name } : {}),
      ...(subject ? { subject: fields.get(subject)! } : {}),
      ...(date ? { dateText: fields.get(date)! } : {}),
    },
    next: k + 1,
  };
}

/** The first quote of a reply or forward: the text it claims to reproduce. */
export function extractQuote(text: string): QuoteSegment | undefined {
  const lines = text.replace(NBSP, ' ').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const depth = depthOf(line);
    if (depth === 0) {
      const block = headerBlock(lines, i);
      if (block) return { style: 'block', attribution: block.attribution, chunks: [lines.slice(block.next)] };
      const wrote = wroteAttribution(lines, i);
      if (wrote && lines.slice(wrote.next).some((l) => depthOf(l) > 0)) {
        return { style: 'prefixed', attribution: wrote.attribution, chunks: prefixedChunks(lines, wrote.next) };
      }
      continue;
    }
    // Quote without an attribution line above it; iOS writes the attribution inside the quote.
    const inner = wroteAttribution(lines.map(stripQuotePrefix), i);
    if (inner) return { style: 'prefixed', attribution: inner.attribution, chunks: prefixedChunks(lines, inner.next) };
    return { style: 'prefixed', chunks: prefixedChunks(lines, i) };
  }
  return undefined;
}

function prefixedChunks(lines: string[], from: number): string[][] {
  const chunks: string[][] = [];
  let cur: string[] = [];
  for (let k = from; k < lines.length; k++) {
    const line = lines[k]!;
    if (depthOf(line) > 0) cur.push(stripQuotePrefix(line));
    else if (cur.length) {
      chunks.push(cur);
      cur = [];
    }
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}
