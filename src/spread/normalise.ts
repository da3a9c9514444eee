import { createHash } from 'node:crypto';

/** Query parameters that only track the click, never choose the page. */
const TRACKING = /^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|yclid|msclkid|mc_cid|mc_eid|igshid|igsh|ref_src|ref_url|_ga|_gl|mkt_tok|si|s|t|cmpid|ocid|smid|share|feature)$/i;
/** Params above that are tracking only on these hosts (elsewhere `s` or `t` may pick content). */
const HOST_ONLY: Record<string, RegExp> = {
  s: /(^|\.)(twitter\.com|x\.com)$/,
  t: /(^|\.)(twitter\.com|x\.com)$/,
  si: /(^|\.)(youtube\.com|youtu\.be|spotify\.com)$/,
  feature: /(^|\.)(youtube\.com|youtu\.be)$/,
  share: /(^|\.)(facebook\.com)$/,
};

/**
 * One spelling per web page: no scheme, no `www.`, lower-case host, no fragment, no tracking
 * parameters, remaining parameters sorted, no trailing slash. Not a URL any more (no scheme) but a
 * key: two posts linking the same page get the same key.
 */
export function normaliseUrl(raw: string): string {
  const s = raw.trim();
  if (!s) return '';
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`);
  } catch {
    return s.toLowerCase();
  }
  const host = u.hostname.toLowerCase().replace(/^www\d?\./, '').replace(/^m\./, '');
  const kept: [string, string][] = [];
  for (const [k, v] of u.searchParams) {
    const only = HOST_ONLY[k.toLowerCase()];
    if (TRACKING.test(k) && (!only || only.test(host))) continue;
    kept.push([k, v]);
  }
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const path = u.pathname.replace(/\/+$/, '');
  const query = kept.length ? `?${new URLSearchParams(kept).toString()}` : '';
  const port = u.port && u.port !== '80' && u.port !== '443' ? `:${u.port}` : '';
  return `${host}${port}${path}${query}`;
}

/** The registrable-looking host of a normalised URL key (the part before the first '/'). */
export function hostOf(normalised: string): string {
  const i = normalised.search(/[/?]/);
  return i < 0 ? normalised : normalised.slice(0, i);
}

const SHORTENERS = /^(t\.co|bit\.ly|bitly\.com|goo\.gl|ow\.ly|tinyurl\.com|buff\.ly|dlvr\.it|ift\.tt|is\.gd|tiny\.cc|trib\.al|fb\.me|lnkd\.in|j\.mp|youtu\.be|amzn\.to|shorturl\.at|rb\.gy|cutt\.ly)$/;
export function isShortener(normalised: string): boolean {
  return SHORTENERS.test(hostOf(normalised));
}

/** QUT's co-tweet preprocessing: mentions dropped, case and whitespace normalised. */
export function normaliseText(text: string): string {
  return text.replace(/@\w+/g, ' ').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function textHash(text: string): string | undefined {
  const t = normaliseText(text);
  if (t.length === 0) return undefined;
  return createHash('sha1').update(t).digest('base64url').slice(0, 16);
}

const HASHTAG = /(?:^|[^\p{L}\p{N}_&/])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu;
const MENTION = /(?:^|[^\p{L}\p{N}_])@(\w{1,30})/gu;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'）)\]]+/gi;

export function hashtagsIn(text: string): string[] {
  return [...new Set([...text.matchAll(HASHTAG)].map((m) => (m[1] ?? '').toLowerCase()))];
}
export function mentionsIn(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((m) => (m[1] ?? '').toLowerCase()))];
}
export function urlsIn(text: string): string[] {
  return [...new Set([...text.matchAll(URL_IN_TEXT)].map((m) => m[0].replace(/[.,;:!?]+$/, '')))];
}
