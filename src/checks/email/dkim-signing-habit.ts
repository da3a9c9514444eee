// dkim.signing-habit: a domain that signs all its mail does not send one message unsigned; an unsigned
// message from it that crossed a mail server was probably injected by someone else's server.
import type { Finding } from '../../model.js';
import type { CorpusCheck, EmailFacts } from '../corpus.js';
import { addFinding, hasAlignedSignature, inClientCopyFolder, inSentFolder, isServerRouted, itemRef } from './headers.js';

export const MIN_SIGNED_PASSING = 3;
/**
 * Unsigned server-routed messages a habit tolerates, per signed one. Without any tolerance two
 * forgeries from the same sender hide each other; with it, a large sender's few unsigned messages
 * are all flagged while a domain that often sends unsigned mail has no habit at all.
 */
export const MAX_UNSIGNED_PER_SIGNED = 1 / 20;

/**
 * The server-routed messages kept between the passes over the case, one column per field: numbers
 * in plain arrays cost ~80 bytes a message where objects holding the Message-ID cost ~200, which
 * counts when a case holds a quarter of a million messages. Relayed messages (a valid signature of
 * another domain only) are left out: they say nothing of the domain's own server.
 */
class Routed {
  readonly itemIds: number[] = [];
  /** Milliseconds, NaN without a readable Date. */
  readonly times: number[] = [];
  /** ALIGNED | PASSING. */
  readonly flags: number[] = [];
  readonly senders: number[] = [];
  /** messageIdHash of each message's Message-ID; NaN without one. */
  readonly idHashes: number[] = [];

  add(itemId: number, time: number, flags: number, sender: number, idHash: number): number {
    this.itemIds.push(itemId);
    this.times.push(time);
    this.flags.push(flags);
    this.senders.push(sender);
    this.idHashes.push(idHash);
    return this.itemIds.length - 1;
  }
}

/** Carries a DKIM signature aligned with its From domain (whatever its result). */
const ALIGNED = 1;
/** A passing signature of its own domain. */
const PASSING = 2;

/**
 * A 53-bit hash of a Message-ID (two FNV-1a passes), to find a message's copies without holding
 * every Message-ID string. Two different ids sharing a hash (odds about 1 in 300,000 for a case of
 * 250,000 messages) would only leave one more message out of a habit's counts.
 */
function messageIdHash(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
  }
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) >>> 11);
}

/** Sorted times (NaN left out) and how many had none: counts "dated from t on" by binary search. */
class Times {
  private sorted: Float64Array | undefined;
  private readonly values: number[] = [];
  undated = 0;

  add(t: number): void {
    if (Number.isNaN(t)) this.undated++;
    else this.values.push(t);
  }

  private get all(): Float64Array {
    if (!this.sorted) {
      this.sorted = Float64Array.from(this.values).sort();
      this.values.length = 0;
    }
    return this.sorted;
  }

  /** Members dated at or after `t`, and those without a date (they are never outside an era). */
  inEra(t: number): number {
    const a = this.all;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return a.length - lo + this.undated;
  }

  /** The earliest time once `removed` (a sorted sub-multiset of the times) is taken out; -Infinity when none is left. */
  firstWithout(removed: number[]): number {
    const a = this.all;
    let j = 0;
    for (const t of a) {
      if (j < removed.length && t === removed[j]) j++;
      else return t;
    }
    return -Infinity;
  }
}

/**
 * The kept messages of one sender or domain (rows of Routed, in dump order), with the times of the
 * signed, unsigned and passing ones, so each message's habit costs a few binary searches instead of
 * a pass over the group (a domain can send tens of thousands of messages).
 */
class Group {
  readonly members: number[] = [];
  readonly signed = new Times();
  readonly unsigned = new Times();
  readonly passing = new Times();

  add(row: number, time: number, flags: number): void {
    this.members.push(row);
    (flags & ALIGNED ? this.signed : this.unsigned).add(time);
    if (flags & PASSING) this.passing.add(time);
  }
}

/** Rows of example messages; turned into item references once every message has been judged. */
interface Habit { passing: number[]; passingCount: number; firstSigned: number; otherUnsigned: number[] }

/**
 * The signing habit of a sender or domain, leaving out `removed` (the message judged and its copies
 * with the same Message-ID, as rows): its server-routed messages dated from its first signed
 * message on carry an aligned signature (all but one in twenty), ≥3 of them passing. Mail dated
 * before the first signed message is outside the habit (the domain may have started signing later).
 */
function habitOf(t: Routed, group: Group | undefined, removed: number[]): Habit | undefined {
  if (!group) return undefined;
  const aligned = (r: number): boolean => (t.flags[r]! & ALIGNED) !== 0;
  const passes = (r: number): boolean => (t.flags[r]! & PASSING) !== 0;
  const signedTimes = removed.filter((r) => aligned(r) && !Number.isNaN(t.times[r]!)).map((r) => t.times[r]!).sort((a, b) => a - b);
  const firstSigned = group.signed.firstWithout(signedTimes);
  const inEra = (r: number): boolean => Number.isNaN(t.times[r]!) || t.times[r]! >= firstSigned;
  const less = (f: (r: number) => boolean): number => removed.filter((r) => inEra(r) && f(r)).length;
  const signed = group.signed.inEra(firstSigned) - less(aligned);
  const unsigned = group.unsigned.inEra(firstSigned) - less((r) => !aligned(r));
  if (unsigned > Math.floor(signed * MAX_UNSIGNED_PER_SIGNED)) return undefined;
  const passingCount = group.passing.inEra(firstSigned) - less(passes);
  if (passingCount < MIN_SIGNED_PASSING) return undefined;
  // Examples for the evidence, in dump order.
  const passing: number[] = [];
  const otherUnsigned: number[] = [];
  for (const r of group.members) {
    if (passing.length >= Math.min(5, passingCount) && otherUnsigned.length >= Math.min(5, unsigned)) break;
    if (!inEra(r) || removed.includes(r)) continue;
    if (passes(r) && passing.length < 5) passing.push(r);
    if (!aligned(r) && otherUnsigned.length < 5) otherUnsigned.push(r);
  }
  return { passing, passingCount, firstSigned, otherUnsigned };
}

/** The kept rows with this item id or Message-ID: binary searches in rows sorted by them. */
function copiesOf(t: Routed, email: EmailFacts, byItem: number[], byHash: number[]): number[] {
  const out: number[] = [];
  const at = lowerBound(byItem.length, (k) => t.itemIds[byItem[k]!]! < email.itemId);
  if (at < byItem.length && t.itemIds[byItem[at]!] === email.itemId) out.push(byItem[at]!);
  if (email.messageId === undefined) return out;
  const h = messageIdHash(email.messageId);
  for (let i = lowerBound(byHash.length, (k) => t.idHashes[byHash[k]!]! < h); i < byHash.length && t.idHashes[byHash[i]!] === h; i++) {
    if (t.itemIds[byHash[i]!] !== email.itemId) out.push(byHash[i]!);
  }
  return out;
}

function lowerBound(length: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const dkimSigningHabit: CorpusCheck = {
  meta: {
    id: 'dkim.signing-habit',
    title: 'Unsigned message from a sender that always signs',
    description:
      'When the other messages of a domain (or sender) in the dump that crossed a mail server carry a DKIM ' +
      'signature (all but at most one in twenty, so that a few forgeries cannot hide each other), at least three of them verified, an unsigned message from it that also crossed a mail server ' +
      'did not leave through that domain\'s outgoing server: it may have been sent by someone else with a forged ' +
      'From. Innocent explanations: a client copy kept in a Sent folder (never signed; ignored when its signed ' +
      'twin is in the dump), a message sent through another service (newsletter platform, a misconfigured ' +
      'relay), mail dated before the domain started signing (excluded), a signature stripped by a gateway.',
    severity: 'warning',
  },
  run(emails) {
    const table = new Routed();
    const senderList: { address: string; domain: string }[] = [];
    const senderIndex = new Map<string, number>();
    const groups = { sender: new Map<string, Group>(), domain: new Map<string, Group>() };
    // The first message of each Message-ID with a passing aligned signature: the signed twin of a
    // Sent copy (by hash; its item id). The copies it vouches for are never in it (they carry no aligned signature).
    const signedById = new Map<number, number>();
    for (const e of emails) {
      if (!e.from) continue;
      const idHash = e.messageId === undefined ? NaN : messageIdHash(e.messageId);
      if (e.messageId && !signedById.has(idHash) && e.signed.some((s) => s.pass && s.aligned)) signedById.set(idHash, e.itemId);
      if (!isServerRouted(e)) continue;
      const aligned = hasAlignedSignature(e);
      if (!aligned && e.signed.some((s) => s.pass)) continue; // relayed
      let sender = senderIndex.get(e.from.address);
      if (sender === undefined) {
        senderIndex.set(e.from.address, (sender = senderList.length));
        senderList.push({ address: e.from.address, domain: e.from.domain });
      }
      const time = e.date ? Date.parse(e.date) : NaN;
      const flags = (aligned ? ALIGNED : 0) | (e.signed.some((s) => s.pass && (s.aligned || s.domain.toLowerCase() === e.from?.domain)) ? PASSING : 0);
      const row = table.add(e.itemId, time, flags, sender, idHash);
      for (const [map, k] of [[groups.sender, e.from.address], [groups.domain, e.from.domain]] as const) {
        let group = map.get(k);
        if (!group) map.set(k, (group = new Group()));
        group.add(row, time, flags);
      }
    }
    // Rows sorted by item id (the pipeline gives them in that order already) and by Message-ID hash.
    const byItem = table.itemIds.map((_, r) => r).sort((a, b) => table.itemIds[a]! - table.itemIds[b]!);
    const byHash = byItem.filter((r) => !Number.isNaN(table.idHashes[r]!)).sort((a, b) => table.idHashes[a]! - table.idHashes[b]! || a - b);

    const judged: { itemId: number; scope: 'sender' | 'domain'; who: string; routed: boolean; habit: Habit; signedTwin: number | undefined }[] = [];
    for (const email of emails) {
      if (!email.from || hasAlignedSignature(email)) continue;
      // A valid signature of another domain: relayed by a sending service, which dkim.alignment notes.
      if (email.signed.some((s) => s.pass)) continue;
      const routed = isServerRouted(email);
      // No trace of any server, yet filed as received mail: it was never delivered. Client copies
      // (Sent, Drafts, Outbox) are the innocent case and are left alone.
      if (!routed && inClientCopyFolder(email)) continue;
      const signedTwin = email.messageId ? signedById.get(messageIdHash(email.messageId)) : undefined;
      if (inSentFolder(email) && signedTwin !== undefined) continue;
      const time = email.date ? Date.parse(email.date) : NaN;
      const copies = copiesOf(table, email, byItem, byHash);
      for (const [scope, key] of [['sender', email.from.address], ['domain', email.from.domain]] as const) {
        const inScope = copies.filter((r) => {
          const sender = senderList[table.senders[r]!]!;
          return (scope === 'sender' ? sender.address : sender.domain) === key;
        });
        const habit = habitOf(table, groups[scope].get(key), inScope);
        if (!habit || (!Number.isNaN(time) && time < habit.firstSigned)) continue;
        judged.push({ itemId: email.itemId, scope, who: key, routed, habit, signedTwin });
        break;
      }
    }
    const out = new Map<number, Finding[]>();
    if (judged.length === 0) return out;
    // One more pass for the evidence: the examples' From, Date and Message-ID as the emails give them.
    const wanted = new Set<number>();
    for (const j of judged) {
      for (const r of [...j.habit.passing, ...j.habit.otherUnsigned]) wanted.add(table.itemIds[r]!);
      if (j.signedTwin !== undefined) wanted.add(j.signedTwin);
    }
    const refs = new Map<number, { [key: string]: string | number | null }>();
    for (const e of emails) if (wanted.has(e.itemId)) refs.set(e.itemId, itemRef(e));
    const ref = (itemId: number) => refs.get(itemId) ?? { item: itemId, from: null, date: null, messageId: null };
    for (const { itemId, scope, who, routed, habit, signedTwin } of judged) {
      addFinding(out, itemId, {
        check: 'dkim.signing-habit',
        severity: 'warning',
        message: routed
          ? `Unsigned, yet it crossed a mail server, while the other ${habit.passingCount} server-routed messages of ${scope} ${who} in the dump are DKIM-signed and verify.`
          : `Unsigned and without any Received trace, though filed outside Sent/Drafts, while the other ${habit.passingCount} server-routed messages of ${scope} ${who} in the dump are DKIM-signed and verify.`,
        evidence: {
          scope,
          [scope]: who,
          serverRouted: routed,
          signedExamples: habit.passing.map((r) => ref(table.itemIds[r]!)),
          signedCount: habit.passingCount,
          otherUnsigned: habit.otherUnsigned.map((r) => ref(table.itemIds[r]!)),
          signingSince: Number.isFinite(habit.firstSigned) ? new Date(habit.firstSigned).toISOString() : null,
          ...(signedTwin !== undefined ? { signedTwin: ref(signedTwin) } : {}),
        },
      });
    }
    return out;
  },
};
