// thread.quote: a reply carries a copy of its original. When either side is DKIM-verified, the other can
// be checked against it: an altered quote, or an original that no longer says what its verified reply
// quoted, shows which text was changed. Verbatim quotes in verified replies corroborate their originals.
import type { Finding, Json } from '../../model.js';
import type { CorpusCheck, EmailFacts } from '../corpus.js';
import { formatDuration } from './dates.js';
import { addFinding, itemRef } from './headers.js';
import { extractQuote, type QuoteAttribution, type QuoteSegment } from './quotes.js';
import { isContiguousIn, overlap, quoteDiff, tokens } from './text-compare.js';

/** Below this share of shared words, the quote is not of this original (wrong pairing), whatever the headers say. */
export const MIN_OVERLAP = 0.6;
/** A reply may reference a message dated slightly later: clocks disagree, time zones get misconfigured. */
export const REFERENCE_TOLERANCE_MS = 60 * 60 * 1000;

/** A subject as thread matching compares it: reply/forward prefixes and case removed. */
export const subjectKey = (s: string | undefined): string =>
  (s ?? '').replace(/^\s*((re|fw|fwd|tr|aw|wg|rv|sv|réf)\s*(\[\d+\])?\s*:\s*)+/i, '').replace(/\s+/g, ' ').trim().toLowerCase();

const subjectOf = (e: EmailFacts): string | undefined => e.headers.find((h) => h.name.toLowerCase() === 'subject')?.value;

function fromMatches(a: QuoteAttribution | undefined, e: EmailFacts): boolean {
  if (!a || !e.from) return a === undefined;
  if (a.addresses.includes(e.from.address)) return true;
  const name = e.from.name?.trim().toLowerCase();
  return !!name && name.length > 2 && a.text.toLowerCase().includes(name);
}

/**
 * Originals the quote claims to reproduce: referenced messages by the attributed author, else (no
 * In-Reply-To/References, as in a fabricated reply) the attributed author's latest earlier message
 * with the quoted subject, or with the reply's own subject when the attribution names none.
 */
function originalsFor(reply: EmailFacts, seg: QuoteSegment, byId: Map<string, EmailFacts[]>, all: EmailFacts[]): EmailFacts[] {
  const ids = [...new Set([reply.inReplyTo, ...[...reply.references].reverse()].filter((x): x is string => !!x && x !== reply.messageId))];
  const referenced = ids.flatMap((id) => byId.get(id) ?? []);
  const att = seg.attribution;
  if (!att) return reply.inReplyTo ? (byId.get(reply.inReplyTo) ?? []) : [];
  const byAuthor = referenced.filter((e) => fromMatches(att, e));
  if (byAuthor.length) {
    const id = byAuthor[0]!.messageId;
    return byAuthor.filter((e) => e.messageId === id);
  }
  if (att.addresses.length === 0 && !att.name) return [];
  const key = subjectKey(att.subject ?? subjectOf(reply));
  if (!key) return [];
  const replyTime = reply.date ? Date.parse(reply.date) : Infinity;
  const found = all.filter((e) => e !== reply && e.messageId !== reply.messageId && fromMatches(att, e) &&
    subjectKey(subjectOf(e)) === key && (!e.date || Date.parse(e.date) <= replyTime + REFERENCE_TOLERANCE_MS));
  found.sort((x, y) => Date.parse(y.date ?? '') - Date.parse(x.date ?? '') || x.itemId - y.itemId);
  const id = found[0]?.messageId;
  return id ? found.filter((e) => e.messageId === id) : found.slice(0, 1);
}

const sameText = (a: EmailFacts, b: EmailFacts): boolean =>
  (a.text ?? '').replace(/\s+/g, ' ').trim() === (b.text ?? '').replace(/\s+/g, ' ').trim();

/**
 * Backed by DKIM: verified itself, or a copy with the same Message-ID and the same text is (a Sent-folder
 * copy of a message whose delivered copy verifies says what the verified copy says).
 */
function backedBy(e: EmailFacts, byId: Map<string, EmailFacts[]>): EmailFacts | undefined {
  if (e.verified) return e;
  return e.messageId ? (byId.get(e.messageId) ?? []).find((t) => t !== e && t.verified && sameText(t, e)) : undefined;
}

/** Puts a finding on the side(s) not backed by DKIM; nothing when both are. */
function blame(out: Map<number, Finding[]>, byId: Map<string, EmailFacts[]>, a: EmailFacts, b: EmailFacts,
  make: (suspect: EmailFacts, other: EmailFacts, otherBacked: boolean) => Finding): void {
  const aBacked = backedBy(a, byId) !== undefined;
  const bBacked = backedBy(b, byId) !== undefined;
  if (aBacked && bBacked) return;
  if (!aBacked) once(out, a, b, make(a, b, bBacked));
  if (!bBacked) once(out, b, a, make(b, a, aBacked));
}

/**
 * One finding per item and counterpart message: the Sent and Inbox copies of one reply say the same.
 * The message text embeds the first counterpart's item number, so it is compared without it.
 */
function once(out: Map<number, Finding[]>, suspect: EmailFacts, other: EmailFacts, finding: Finding): void {
  const otherId = other.messageId ?? `#${other.itemId}`;
  const dup = (out.get(suspect.itemId) ?? []).some((f) => f.severity === finding.severity &&
    (f.evidence.counterpart === otherId));
  if (!dup) addFinding(out, suspect.itemId, { ...finding, evidence: { ...finding.evidence, counterpart: otherId } });
}

/**
 * The subject under which the check looks for this reply's original by author and subject (when no
 * referenced message is by the attributed author), or undefined when it never would. Computed when
 * the email is verified, so grouping threads reads no text.
 */
export function quoteSearchKey(reply: EmailFacts): string | undefined {
  const att = reply.text ? extractQuote(reply.text)?.attribution : undefined;
  if (!att || (att.addresses.length === 0 && !att.name)) return undefined;
  return subjectKey(att.subject ?? subjectOf(reply)) || undefined;
}

/** What links an email to the others of its thread, without its text or headers. */
export interface ThreadLinks {
  itemId: number;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** Its own subject, as quote searches compare it (subjectKey). */
  subject: string;
  /** quoteSearchKey of the email. */
  searches?: string;
}

/**
 * Item ids of the emails this check can only judge together, in input order: connected by a
 * Message-ID one of them references or shares, or by a subject a quote searches for. An email in
 * no group (nothing references it, it references nothing, no quote searches its subject) can get
 * no finding from this check, so the pipeline runs it one group at a time instead of holding every
 * email. `emails` is read twice.
 */
export function threadGroups(emails: Iterable<ThreadLinks>): number[][] {
  // Keys that link: referenced ids and searched subjects; the value is the first email holding
  // them (-1: none yet). One map per kind, so no key string is built.
  const byId = new Map<string, number>();
  const bySubject = new Map<string, number>();
  const refsOf = (e: ThreadLinks): string[] => (e.inReplyTo ? [e.inReplyTo, ...e.references] : e.references);
  for (const e of emails) {
    for (const r of refsOf(e)) if (!byId.has(r)) byId.set(r, -1);
    if (e.searches !== undefined && !bySubject.has(e.searches)) bySubject.set(e.searches, -1);
  }
  const parent = new Map<number, number>();
  const root = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    for (let y = x; y !== r; ) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  const link = (map: Map<string, number>, key: string, id: number): void => {
    const held = map.get(key);
    if (held === undefined || held < 0) map.set(key, id);
    else parent.set(root(id), root(held));
  };
  const order: number[] = [];
  for (const e of emails) {
    const refs = refsOf(e);
    const linked = refs.length > 0 || e.searches !== undefined || (e.messageId !== undefined && byId.has(e.messageId)) || bySubject.has(e.subject);
    if (!linked) continue;
    parent.set(e.itemId, e.itemId);
    order.push(e.itemId);
    // Its own id too: a copy of it (same Message-ID) is read when judging it.
    if (e.messageId !== undefined) link(byId, e.messageId, e.itemId);
    for (const r of refs) link(byId, r, e.itemId);
    if (e.searches !== undefined) link(bySubject, e.searches, e.itemId);
    if (bySubject.has(e.subject)) link(bySubject, e.subject, e.itemId);
  }
  const groups = new Map<number, number[]>();
  for (const id of order) {
    const r = root(id);
    const g = groups.get(r);
    if (g) g.push(id);
    else groups.set(r, [id]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

export const threadQuote: CorpusCheck = {
  meta: {
    id: 'thread.quote',
    title: 'Quote in a reply differs from its original',
    description:
      'A reply reproduces the message it answers ("On … wrote:", "-----Original Message-----", "De : … Envoyé : …"). ' +
      'After removing quote marks, re-wrapping and gateway boilerplate, every quoted run must appear word for word ' +
      'in the original. If the reply is DKIM-verified, a differing original was altered; if the original is ' +
      'verified, the quote was; if neither is, both are flagged. A verified reply that quotes verbatim corroborates ' +
      'its original (info). A message referencing one dated more than an hour after it is also flagged. Innocent ' +
      'explanations: the replier edited the quote by hand, a client converted HTML to text differently, a sender\'s ' +
      'clock or time zone was wrong.',
    severity: 'warning',
  },
  perThread: true,
  run(input) {
    // Compares pairs found by id and by subject: every email is held (the pipeline passes one thread).
    const emails = Array.isArray(input) ? (input as EmailFacts[]) : [...input];
    const out = new Map<number, Finding[]>();
    const byId = new Map<string, EmailFacts[]>();
    for (const e of emails) if (e.messageId) byId.set(e.messageId, [...(byId.get(e.messageId) ?? []), e]);
    for (const reply of emails) {
      checkReferenceDates(out, reply, byId);
      if (!reply.text) continue;
      const seg = extractQuote(reply.text);
      if (!seg) continue;
      const chunks = seg.chunks.map((c) => ({ lines: c, words: tokens(c) })).filter((c) => c.words.length > 0);
      if (chunks.length === 0) continue;
      const quoted = chunks.flatMap((c) => c.words);
      for (const original of originalsFor(reply, seg, byId, emails)) {
        if (!original.text || original === reply) continue;
        const origLines = original.text.split(/\r?\n/);
        const origWords = tokens(origLines);
        const altered = chunks.filter((c) => !isContiguousIn(c.words, origWords));
        if (altered.length === 0) {
          const backer = backedBy(reply, byId);
          if (backer) {
            once(out, original, backer, {
              check: 'thread.quote',
              severity: 'info',
              message: `Quoted verbatim by DKIM-verified reply #${backer.itemId}.`,
              evidence: { reply: itemRef(backer), quotedWords: quoted.length },
            });
          }
          continue;
        }
        const share = overlap(quoted, origWords);
        if (share < MIN_OVERLAP) continue;
        const diff = quoteDiff(origLines, altered.flatMap((c) => [...c.lines, '']));
        const evidence: { [key: string]: Json } = {
          reply: itemRef(reply),
          original: itemRef(original),
          replyVerified: backedBy(reply, byId) !== undefined,
          originalVerified: backedBy(original, byId) !== undefined,
          attribution: seg.attribution?.text ?? null,
          diff: diff.lines,
          removedFromOriginal: diff.removed,
          addedInQuote: diff.added,
          sharedWords: Math.round(share * 100) / 100,
        };
        blame(out, byId, reply, original, (suspect, other, otherBacked) => ({
          check: 'thread.quote',
          severity: 'warning',
          message: suspect === original
            ? `Text differs from the quote of it in ${otherBacked ? 'DKIM-verified ' : ''}reply #${other.itemId}${otherBacked ? ': this message was altered' : ''}.`
            : `Quote of #${other.itemId} differs from that message${otherBacked ? ', which is DKIM-verified: the quote was altered' : ''}.`,
          evidence,
        }));
      }
    }
    return out;
  },
};

function checkReferenceDates(out: Map<number, Finding[]>, reply: EmailFacts, byId: Map<string, EmailFacts[]>): void {
  const replyTime = reply.date ? Date.parse(reply.date) : NaN;
  if (Number.isNaN(replyTime)) return;
  const ids = [...new Set([reply.inReplyTo, ...reply.references].filter((x): x is string => !!x && x !== reply.messageId))];
  for (const id of ids) {
    const later = (byId.get(id) ?? []).find((e) => e.date && Date.parse(e.date) > replyTime + REFERENCE_TOLERANCE_MS);
    if (!later) continue;
    const gap = Date.parse(later.date!) - replyTime;
    blame(out, byId, reply, later, (suspect, other) => ({
      check: 'thread.quote',
      severity: 'warning',
      message: suspect === reply
        ? `References message #${other.itemId} (${id}), which is dated ${formatDuration(gap)} later.`
        : `Dated ${formatDuration(gap)} after message #${other.itemId}, which references it as earlier.`,
      evidence: { reply: itemRef(reply), referenced: itemRef(later), referencedId: id, gap: formatDuration(gap) },
    }));
    return;
  }
}
