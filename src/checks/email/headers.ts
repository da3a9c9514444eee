// Header helpers shared by the email checks: lookups by name, ids, domains, trace and list markers.
import type { Finding } from '../../model.js';
import type { EmailFacts } from '../corpus.js';
import { sameOrganisation } from '../../domains/index.js';

/** Values of every header called `name` (case-insensitive), top to bottom. */
export function headerValues(email: EmailFacts, name: string): string[] {
  const want = name.toLowerCase();
  return email.headers.filter((h) => h.name.toLowerCase() === want).map((h) => h.value);
}

export const firstHeader = (email: EmailFacts, name: string): string | undefined => headerValues(email, name)[0];

/** Ids written `<left@right>` in a header value, brackets removed, in order. */
export function angleIds(value: string): string[] {
  return [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1] ?? '').filter(Boolean);
}

/** Same organisational domain in the relaxed DMARC sense (Public Suffix List, as the verifier aligns). */
export const relaxedAligned = (a: string, b: string): boolean => sameOrganisation(a, b);

/** The message passed through at least one mail server (servers add Received; clients do not). */
export const isServerRouted = (email: EmailFacts): boolean => headerValues(email, 'received').length > 0;

/**
 * One of its occurrences sits in a Sent folder (English, French, German, Spanish names). A folder
 * exported as an mbox file may carry the extension: Apple Mail exports `Sent Messages.mbox/mbox`.
 */
export const inSentFolder = (email: EmailFacts): boolean =>
  email.occurrencePaths.some((p) => /(^|[/\\!])(sent|sent items|sent mail|sent messages|envoy[ée]s|[ée]l[ée]ments envoy[ée]s|gesendet|gesendete elemente|enviados)(\.mbox)?([/\\!]|$)/i.test(p));

/** Filed where a client keeps its own copies (Sent, Drafts, Outbox): such copies never cross a server. */
export const inClientCopyFolder = (email: EmailFacts): boolean =>
  inSentFolder(email) ||
  email.occurrencePaths.some((p) => /(^|[/\\!])(drafts?|brouillons|outbox|bo[iî]te d'envoi|entw[üu]rfe|borradores)(\.mbox)?([/\\!]|$)/i.test(p));

/** Mailing-list markers: a list usually rewrites the message (footer, subject tag), breaking signatures innocently. */
export const viaMailingList = (email: EmailFacts): boolean =>
  email.headers.some((h) => /^(list-id|list-post|list-unsubscribe|mailing-list|x-mailman-version|x-beenthere)$/i.test(h.name)) ||
  headerValues(email, 'precedence').some((v) => /^\s*list\b/i.test(v));

/** Boundary of the top-level multipart body, when there is one. */
export function topBoundary(email: EmailFacts): string | undefined {
  const ct = firstHeader(email, 'content-type');
  if (!ct || !/^\s*multipart\//i.test(ct)) return undefined;
  const m = /boundary\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(ct);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Carries a DKIM signature aligned with its From domain (whatever its result). */
export const hasAlignedSignature = (email: EmailFacts): boolean =>
  email.signed.some((s) => s.aligned || (email.from !== undefined && relaxedAligned(s.domain, email.from.domain)));

/** Appends a finding to the per-item map the checks return. */
export function addFinding(out: Map<number, Finding[]>, itemId: number, finding: Finding): void {
  const list = out.get(itemId);
  if (list) list.push(finding);
  else out.set(itemId, [finding]);
}

/** Short description of an item for evidence: id, From, Date, Message-ID. */
export function itemRef(email: EmailFacts): { [key: string]: string | number | null } {
  return {
    item: email.itemId,
    from: email.from?.address ?? null,
    date: email.date ?? null,
    messageId: email.messageId ?? null,
  };
}
