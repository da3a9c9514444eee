// Look-alike domains over a whole case: every email's domains (headers, links, attachments' text)
// matched against the protected domains, gathered per look-alike with who received it, when, where
// it was seen and whether anyone replied or forwarded it; findings for the carrying emails.
import { readFile } from 'node:fs/promises';
import type { Finding, Json } from '../model.js';
import type { Case, ItemRow } from '../store/case.js';
import { addressList, addressOf } from '../search/addresses.js';
import { parseEmailParts } from '../search/email-parts.js';
import { LINK_TEXT_MISMATCH, LOOKALIKE_LINK, LOOKALIKE_SENDER } from './checks.js';
import { emailSightings, textSightings, type DomainField, type Sighting } from './collect.js';
import { toUnicode } from './idn.js';
import { Matcher, type Protected, type Reason } from './match.js';
import { splitDomain } from './psl.js';

export interface Evidence {
  itemId: number;
  from: string | null;
  date: string | null;
}

export interface Lookalike {
  /** ASCII form (the registrable domain, or the whole host when only its subdomain imitates). */
  domain: string;
  unicode: string;
  imitates: string[];
  reasons: Reason[];
  /** Every host under it that was seen. */
  hosts: string[];
  fields: DomainField[];
  messages: number;
  itemIds: number[];
  firstSeen: string | null;
  lastSeen: string | null;
  recipients: string[];
  senders: string[];
  /** Emails answering one that carries it (In-Reply-To / References), or sent to it. */
  replies: Evidence[];
  /** Emails that carry one of its messages as an attachment, or forward its subject. */
  forwards: Evidence[];
}

export interface LinkMismatch {
  itemId: number;
  shown: string;
  target: string;
}

export interface DomainScan {
  protected: Protected[];
  lookalikes: Lookalike[];
  mismatches: LinkMismatch[];
  emailsScanned: number;
}

const SENDER_FIELDS: ReadonlySet<DomainField> = new Set(['from', 'sender', 'reply-to', 'return-path']);
const LINK_FIELDS: ReadonlySet<DomainField> = new Set(['link', 'link-text', 'body-address', 'list-unsubscribe', 'attachment']);

interface EmailMeta {
  itemId: number;
  from: string | null;
  recipients: string[];
  date: string | null;
  messageId: string | null;
  parentIds: string[];
  subject: string;
}

const str = (v: Json | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null);
const isoDate = (v: string | null): string | null => (v && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : null);
const bareId = (v: string): string => v.trim().replace(/^<|>$/g, '');
const baseSubject = (s: string): string => s.replace(/^\s*((re|fwd?|tr|aw|wg)\s*:\s*)+/i, '').trim().toLowerCase();

function metaOf(item: ItemRow): EmailMeta {
  const m = item.metadata;
  const refs = Array.isArray(m['references']) ? m['references'].filter((r): r is string => typeof r === 'string') : [];
  const inReplyTo = str(m['inReplyTo']);
  return {
    itemId: item.id,
    from: addressOf(m['from']),
    recipients: [...addressList(m['to']), ...addressList(m['cc'])].map(addressOf).filter((a): a is string => a !== null),
    date: isoDate(str(m['date'])),
    messageId: str(m['messageId']) ? bareId(str(m['messageId'])!) : null,
    parentIds: [...(inReplyTo ? [inReplyTo] : []), ...refs].flatMap((r) => r.split(/\s+/)).filter(Boolean).map(bareId),
    subject: str(m['subject']) ?? '',
  };
}

/** The key a sighting is grouped under: the registrable domain, or the host when only its subdomain imitates. */
function groupKey(host: string, reasons: Reason[]): string {
  return reasons.every((r) => r.technique === 'brand-in-subdomain') ? host : splitDomain(host).registrable || host;
}

/** Scans every email of the case. `progress` is told each email done. */
export async function scanCase(kase: Case, protectedDomains: Protected[], opts: { dictionary?: string[] } = {}): Promise<DomainScan> {
  const matcher = new Matcher(protectedDomains, opts);
  const emails: EmailMeta[] = [];
  interface Acc { l: Lookalike; fields: Set<DomainField>; hosts: Set<string>; items: Set<number>; recipients: Set<string>; senders: Set<string> }
  const acc = new Map<string, Acc>();
  const perItem = new Map<number, { sender: Map<string, Reason[]>; link: Map<string, Reason[]>; mismatch: LinkMismatch[] }>();
  const mismatches: LinkMismatch[] = [];
  const matchCache = new Map<string, Reason[]>();
  const matchOf = (h: string): Reason[] => matchCache.get(h) ?? matchCache.set(h, matcher.match(h)).get(h)!;

  for (const id of kase.itemIds()) {
    const item = kase.item(id);
    if (!item || item.kind !== 'email') continue;
    const meta = metaOf(item);
    emails.push(meta);
    let sightings: Sighting[];
    try {
      const parts = await parseEmailParts(await readFile(kase.blobs.pathOf(item.sha256)));
      sightings = emailSightings(parts);
    } catch {
      sightings = []; // unreadable bytes were reported at ingest (ingest.unreadable)
    }
    for (const child of kase.childrenOf(id)) {
      const ci = kase.item(child);
      if (!ci || ci.kind === 'email') continue; // a carried email is scanned as itself
      const t = kase.textOf(child)?.text;
      if (t) sightings.push(...textSightings(t));
    }
    const mine = { sender: new Map<string, Reason[]>(), link: new Map<string, Reason[]>(), mismatch: [] as LinkMismatch[] };
    for (const s of sightings) {
      const reasons = matchOf(s.host);
      if (s.shownHost) {
        const shownR = splitDomain(s.shownHost).registrable;
        const targetR = splitDomain(s.host).registrable;
        const shownMatters = matcher.isAllowed(s.shownHost) || matchOf(s.shownHost).length > 0;
        if (shownR !== targetR && shownMatters && !matcher.isAllowed(s.host) && !mine.mismatch.some((x) => x.shown === s.shownHost && x.target === s.host)) {
          const mm = { itemId: id, shown: s.shownHost, target: s.host };
          mine.mismatch.push(mm);
          mismatches.push(mm);
        }
      }
      if (reasons.length === 0) continue;
      const key = groupKey(s.host, reasons);
      let a = acc.get(key);
      if (!a) {
        a = {
          l: { domain: key, unicode: toUnicode(key), imitates: [], reasons: [], hosts: [], fields: [], messages: 0, itemIds: [], firstSeen: null, lastSeen: null, recipients: [], senders: [], replies: [], forwards: [] },
          fields: new Set(), hosts: new Set(), items: new Set(), recipients: new Set(), senders: new Set(),
        };
        acc.set(key, a);
      }
      for (const r of reasons) if (!a.l.reasons.some((x) => x.imitates === r.imitates && x.technique === r.technique)) a.l.reasons.push(r);
      a.fields.add(s.field);
      a.hosts.add(s.host);
      if (!a.items.has(id)) {
        a.items.add(id);
        for (const r of meta.recipients) a.recipients.add(r);
        if (meta.from) a.senders.add(meta.from);
        if (meta.date && (a.l.firstSeen === null || meta.date < a.l.firstSeen)) a.l.firstSeen = meta.date;
        if (meta.date && (a.l.lastSeen === null || meta.date > a.l.lastSeen)) a.l.lastSeen = meta.date;
      }
      const bucket = SENDER_FIELDS.has(s.field) ? mine.sender : LINK_FIELDS.has(s.field) ? mine.link : null;
      if (bucket && !bucket.has(key)) bucket.set(key, reasons);
    }
    perItem.set(id, mine);
  }

  // Replies and forwards: read from the emails' own threading headers, subjects and carriers.
  const byMessageId = new Map(emails.filter((e) => e.messageId).map((e) => [e.messageId!, e]));
  const byItem = new Map(emails.map((e) => [e.itemId, e]));
  const lookalikes = [...acc.values()].map(({ l, fields, hosts, items, recipients, senders }) => {
    const carried = [...items].map((i) => byItem.get(i)!);
    const carriedIds = new Set(carried.map((e) => e.messageId).filter(Boolean));
    const lookHosts = [...hosts];
    const sentByLookalike = carried.filter((e) => e.from && lookHosts.some((h) => e.from!.endsWith(`@${h}`)));
    const evidence = (e: EmailMeta): Evidence => ({ itemId: e.itemId, from: e.from, date: e.date });
    const replies = emails.filter(
      (e) =>
        !sentByLookalike.includes(e) &&
        (e.parentIds.some((p) => carriedIds.has(p) && byMessageId.get(p) && sentByLookalike.includes(byMessageId.get(p)!)) ||
          (e.recipients.some((r) => lookHosts.some((h) => r.endsWith(`@${h}`))) && !(e.from && lookHosts.some((h) => e.from!.endsWith(`@${h}`))))),
    );
    const subjects = new Set(sentByLookalike.map((e) => baseSubject(e.subject)).filter((s) => s !== ''));
    const forwards = emails.filter(
      (e) =>
        !sentByLookalike.includes(e) && !replies.includes(e) &&
        (sentByLookalike.some((s) => kase.parentsOf(s.itemId).includes(e.itemId)) ||
          (/^\s*(fwd?|tr|wg)\s*:/i.test(e.subject) && subjects.has(baseSubject(e.subject)))),
    );
    l.imitates = [...new Set(l.reasons.map((r) => r.imitates))];
    l.hosts = lookHosts.sort();
    l.fields = [...fields];
    l.itemIds = [...items].sort((a, b) => a - b);
    l.messages = l.itemIds.length;
    l.recipients = [...recipients].filter((r) => !lookHosts.some((h) => r.endsWith(`@${h}`))).sort();
    l.senders = [...senders].sort();
    l.replies = replies.map(evidence);
    l.forwards = forwards.map(evidence);
    return l;
  });
  lookalikes.sort((a, b) => (a.firstSeen ?? '').localeCompare(b.firstSeen ?? '') || a.domain.localeCompare(b.domain));

  const findings = new Map<number, Finding[]>();
  for (const [id, mine] of perItem) {
    const fs: Finding[] = [];
    const say = (reasons: Reason[]): string => reasons.map((r) => `${r.technique}: ${r.detail}`).join('; ');
    for (const [d, reasons] of mine.sender) {
      fs.push({ check: LOOKALIKE_SENDER.id, severity: 'warning', message: `sent from ${toUnicode(d)}, which imitates ${[...new Set(reasons.map((r) => r.imitates))].join(', ')}`, evidence: { domain: d, unicode: toUnicode(d), reasons: say(reasons) } });
    }
    for (const [d, reasons] of mine.link) {
      fs.push({ check: LOOKALIKE_LINK.id, severity: 'warning', message: `links to ${toUnicode(d)}, which imitates ${[...new Set(reasons.map((r) => r.imitates))].join(', ')}`, evidence: { domain: d, unicode: toUnicode(d), reasons: say(reasons) } });
    }
    for (const m of mine.mismatch) {
      fs.push({ check: LINK_TEXT_MISMATCH.id, severity: 'warning', message: `a link shows ${toUnicode(m.shown)} but goes to ${toUnicode(m.target)}`, evidence: { shown: m.shown, target: m.target } });
    }
    if (fs.length > 0) findings.set(id, fs);
  }
  kase.replaceStageFindings('domains', findings);
  return { protected: protectedDomains, lookalikes, mismatches, emailsScanned: emails.length };
}
