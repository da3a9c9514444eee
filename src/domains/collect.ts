// Where domains show up in one email: sender and envelope headers, trace and authentication
// headers, links in the bodies (with the text shown over each link), addresses in the text.
// Pure: it reads parsed parts (src/search/email-parts.ts shape) and returns sightings.
import { Parser } from 'htmlparser2';
import { normaliseDomain } from './idn.js';

export type DomainField =
  | 'from' | 'sender' | 'reply-to' | 'return-path' | 'recipient' | 'received' | 'message-id' | 'dkim'
  | 'auth-results' | 'list-unsubscribe' | 'link' | 'link-text' | 'body-address' | 'attachment';

export interface Sighting {
  /** ASCII host, lower case. */
  host: string;
  field: DomainField;
  /** For a link: the host its visible text shows, when the text names another host. */
  shownHost?: string;
}

export interface EmailInput {
  headers: { name: string; value: string }[];
  text: string;
  html: string | null;
}

// Host characters include Unicode letters: an IDN link is written in Unicode in HTML.
const HOST = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+`;
const URL_RE = new RegExp(String.raw`\b(?:https?|ftp)://(?:[^\s/@<>"']*@)?(${HOST})`, 'giu');
const ADDRESS_RE = new RegExp(String.raw`[\p{L}\p{N}._%+-]+@(${HOST})`, 'giu');
// What a link's text may show: a URL or a bare host name with a letter suffix ("www.example.fr").
const SHOWN_RE = new RegExp(String.raw`^\s*(?:(?:https?|ftp)://)?(?:[^\s/@]*@)?(${HOST})(?:[/:?#]\S*)?\s*$`, 'iu');

function hostsIn(re: RegExp, s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(re)) {
    const h = normaliseDomain(m[1] ?? '');
    if (h && /\.[a-z][a-z0-9-]*$|\.xn--[a-z0-9-]+$/.test(h)) out.push(h);
  }
  return out;
}

const HEADER_FIELDS: Record<string, DomainField> = {
  from: 'from', sender: 'sender', 'reply-to': 'reply-to', 'return-path': 'return-path',
  'x-envelope-from': 'return-path', 'envelope-from': 'return-path', to: 'recipient', cc: 'recipient',
  'delivered-to': 'recipient',
};

/** Hosts named in a Received header: after "from" and "by", and the HELO name in parentheses. */
function receivedHosts(v: string): string[] {
  const out: string[] = [];
  for (const m of v.matchAll(/\b(?:from|by)\s+([^\s();]+)(?:\s+\(([^\s()[\]]+))?/gi)) {
    for (const h of [m[1], m[2]]) {
      const d = h ? normaliseDomain(h) : null;
      if (d && !/^\d+(\.\d+){3}$/.test(d)) out.push(d);
    }
  }
  return out;
}

/** The domains of the header fields that name one. */
function headerSightings(headers: EmailInput['headers']): Sighting[] {
  const out: Sighting[] = [];
  const push = (field: DomainField, hosts: string[]): void => {
    for (const host of hosts) out.push({ host, field });
  };
  for (const { name, value } of headers) {
    const n = name.toLowerCase();
    const field = HEADER_FIELDS[n];
    if (field) push(field, hostsIn(ADDRESS_RE, value));
    else if (n === 'received') push('received', receivedHosts(value));
    else if (n === 'message-id') push('message-id', hostsIn(new RegExp(String.raw`@(${HOST})`, 'giu'), value));
    else if (n === 'dkim-signature') {
      const d = /(?:^|;)\s*d\s*=\s*([^\s;]+)/i.exec(value)?.[1];
      const h = d ? normaliseDomain(d) : null;
      if (h) push('dkim', [h]);
    } else if (n === 'authentication-results' || n === 'arc-authentication-results') {
      const hosts: string[] = [];
      for (const m of value.matchAll(/\b(?:smtp\.mailfrom|smtp\.helo|header\.from|header\.d|header\.i)\s*=\s*"?([^\s;"]+)/gi)) {
        const h = normaliseDomain((m[1] ?? '').replace(/^.*@/, ''));
        if (h) hosts.push(h);
      }
      push('auth-results', hosts);
    } else if (n === 'list-unsubscribe') {
      push('list-unsubscribe', [...hostsIn(URL_RE, value), ...hostsIn(ADDRESS_RE, value)]);
    }
  }
  return out;
}

/** Links of an HTML body: each href's host, and the host its text shows when that differs. */
function htmlLinks(html: string): Sighting[] {
  const out: Sighting[] = [];
  let href: string | null = null;
  let text = '';
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'a') {
          href = attrs['href'] ?? null;
          text = '';
        }
      },
      ontext(t) {
        if (href !== null) text += t;
      },
      onclosetag(name) {
        if (name !== 'a' || href === null) return;
        const target = hostsIn(URL_RE, href)[0];
        const shownMatch = SHOWN_RE.exec(text.replace(/\s+/g, ' '));
        const shown = shownMatch ? normaliseDomain(shownMatch[1] ?? '') : null;
        if (target) out.push({ host: target, field: 'link', ...(shown && shown !== target ? { shownHost: shown } : {}) });
        if (shown && shown !== target) out.push({ host: shown, field: 'link-text' });
        href = null;
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return out;
}

/** Every domain sighting in one email, in reading order, duplicates kept (callers count them). */
export function emailSightings(mail: EmailInput): Sighting[] {
  const links = mail.html ? htmlLinks(mail.html) : [];
  const linkHosts = new Set(links.map((l) => l.host));
  const text = mail.text;
  const textLinks = hostsIn(URL_RE, text).filter((h) => !linkHosts.has(h)).map((host): Sighting => ({ host, field: 'link' }));
  const addresses = hostsIn(ADDRESS_RE, text).map((host): Sighting => ({ host, field: 'body-address' }));
  return [...headerSightings(mail.headers), ...links, ...textLinks, ...addresses];
}

/** Domains in the text of an attachment (addresses and URLs). */
export function textSightings(text: string): Sighting[] {
  return [...hostsIn(URL_RE, text), ...hostsIn(ADDRESS_RE, text)].map((host) => ({ host, field: 'attachment' }));
}
