// dkim.signing-habit: a domain that signs all its mail does not send one message unsigned; an unsigned
// message from it that crossed a mail server was probably injected by someone else's server.
import type { Finding } from '../../model.js';
import type { CorpusCheck, EmailFacts } from '../corpus.js';
import { addFinding, hasAlignedSignature, inClientCopyFolder, inSentFolder, isServerRouted } from './headers.js';

export const MIN_SIGNED_PASSING = 3;
/**
 * Unsigned server-routed messages a habit tolerates, per signed one. Without any tolerance two
 * forgeries from the same sender hide each other; with it, a large sender's few unsigned messages
 * are all flagged while a domain that often sends unsigned mail has no habit at all.
 */
export const MAX_UNSIGNED_PER_SIGNED = 1 / 20;

/** A From address, one object per address across the case. */
interface Sender {
  address: string;
  domain: string;
}

/**
 * What the habit needs of a server-routed message, kept for every one of them between the two
 * passes over the case: flags and a time instead of the message's facts (about 200 bytes each).
 */
interface Routed {
  itemId: number;
  sender: Sender;
  /** Milliseconds, NaN without a readable Date. */
  time: number;
  messageId: string | undefined;
  /** Carries a DKIM signature aligned with its From domain (whatever its result). */
  aligned: boolean;
  /** Relayed by a sending service: a valid signature of another domain only. */
  relayed: boolean;
  /** A passing signature of its own domain. */
  passing: boolean;
}

const routedOf = (e: EmailFacts, sender: Sender): Routed => {
  const aligned = hasAlignedSignature(e);
  return {
    itemId: e.itemId,
    sender,
    time: e.date ? Date.parse(e.date) : NaN,
    messageId: e.messageId,
    aligned,
    relayed: !aligned && e.signed.some((s) => s.pass),
    passing: e.signed.some((s) => s.pass && (s.aligned || s.domain.toLowerCase() === e.from?.domain)),
  };
};

/** itemRef (headers.ts) of a kept message. */
const routedRef = (r: Routed): { [key: string]: string | number | null } => ({
  item: r.itemId,
  from: r.sender.address,
  date: Number.isNaN(r.time) ? null : new Date(r.time).toISOString(),
  messageId: r.messageId ?? null,
});

interface Habit { passing: Routed[]; passingCount: number; firstSigned: number; otherUnsigned: Routed[] }

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
    if (!this.sorted) this.sorted = Float64Array.from(this.values).sort();
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
 * The server-routed messages of one sender or domain that are not relayed by a sending service
 * (those say nothing of the domain's own server: they neither build nor break a habit), with the
 * times of the signed, unsigned and passing ones, so each message's habit costs a few binary
 * searches instead of a pass over the group (a domain can send tens of thousands of messages).
 */
class Group {
  readonly members: Routed[] = [];
  readonly signed = new Times();
  readonly unsigned = new Times();
  readonly passing = new Times();

  add(r: Routed): void {
    this.members.push(r);
    (r.aligned ? this.signed : this.unsigned).add(r.time);
    if (r.passing) this.passing.add(r.time);
  }
}

/**
 * The signing habit of a sender or domain, leaving out the message judged and its copies (same
 * Message-ID): its server-routed messages dated from its first signed message on carry an aligned
 * signature (all but one in twenty), ≥3 of them passing. Mail dated before the first signed message
 * is outside the habit (the domain may have started signing later).
 */
function habitOf(group: Group | undefined, removed: Routed[]): Habit | undefined {
  if (!group) return undefined;
  const signedTimes = removed.filter((r) => r.aligned && !Number.isNaN(r.time)).map((r) => r.time).sort((a, b) => a - b);
  const firstSigned = group.signed.firstWithout(signedTimes);
  const inEra = (r: Routed): boolean => Number.isNaN(r.time) || r.time >= firstSigned;
  const less = (f: (r: Routed) => boolean): number => removed.filter((r) => inEra(r) && f(r)).length;
  const signed = group.signed.inEra(firstSigned) - less((r) => r.aligned);
  const unsigned = group.unsigned.inEra(firstSigned) - less((r) => !r.aligned);
  if (unsigned > Math.floor(signed * MAX_UNSIGNED_PER_SIGNED)) return undefined;
  const passingCount = group.passing.inEra(firstSigned) - less((r) => r.passing);
  if (passingCount < MIN_SIGNED_PASSING) return undefined;
  // Examples for the evidence, in dump order.
  const passing: Routed[] = [];
  const otherUnsigned: Routed[] = [];
  for (const r of group.members) {
    if (passing.length >= Math.min(5, passingCount) && otherUnsigned.length >= Math.min(5, unsigned)) break;
    if (!inEra(r) || removed.includes(r)) continue;
    if (r.passing && passing.length < 5) passing.push(r);
    if (!r.aligned && otherUnsigned.length < 5) otherUnsigned.push(r);
  }
  return { passing, passingCount, firstSigned, otherUnsigned };
}

/** The kept messages with this item id or Message-ID, found by binary search in lists sorted by them. */
function copiesOf(email: EmailFacts, byItem: Routed[], byMessageId: Routed[]): Routed[] {
  const out: Routed[] = [];
  const at = lowerBound(byItem, (r) => r.itemId < email.itemId);
  if (byItem[at]?.itemId === email.itemId) out.push(byItem[at]!);
  const id = email.messageId;
  if (id === undefined) return out;
  for (let i = lowerBound(byMessageId, (r) => r.messageId! < id); byMessageId[i]?.messageId === id; i++) {
    if (byMessageId[i]!.itemId !== email.itemId) out.push(byMessageId[i]!);
  }
  return out;
}

function lowerBound(list: Routed[], before: (r: Routed) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid]!)) lo = mid + 1;
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
    const out = new Map<number, Finding[]>();
    const routedBy = { sender: new Map<string, Group>(), domain: new Map<string, Group>() };
    const byItem: Routed[] = []; // every kept message, in item order

    // The first message of each Message-ID with a passing aligned signature: the signed twin of a
    // Sent copy. The copies it vouches for are never in it (they carry no aligned signature).
    const signedById = new Map<string, Routed>();
    const senders = new Map<string, Sender>();
    for (const e of emails) {
      if (!e.from) continue;
      let sender = senders.get(e.from.address);
      if (!sender) senders.set(e.from.address, (sender = { address: e.from.address, domain: e.from.domain }));
      if (e.messageId && !signedById.has(e.messageId) && e.signed.some((s) => s.pass && s.aligned)) signedById.set(e.messageId, routedOf(e, sender));
      if (!isServerRouted(e)) continue;
      const r = routedOf(e, sender);
      if (r.relayed) continue;
      byItem.push(r);
      for (const [map, k] of [[routedBy.sender, sender.address], [routedBy.domain, sender.domain]] as const) {
        const group = map.get(k);
        if (group) group.add(r);
        else map.set(k, new Group()).get(k)!.add(r);
      }
    }
    byItem.sort((a, b) => a.itemId - b.itemId);
    const byMessageId = byItem.filter((r) => r.messageId !== undefined).sort((a, b) => (a.messageId! < b.messageId! ? -1 : a.messageId! > b.messageId! ? 1 : a.itemId - b.itemId));
    for (const email of emails) {
      if (!email.from || hasAlignedSignature(email)) continue;
      // A valid signature of another domain: relayed by a sending service, which dkim.alignment notes.
      if (email.signed.some((s) => s.pass)) continue;
      const routed = isServerRouted(email);
      // No trace of any server, yet filed as received mail: it was never delivered. Client copies
      // (Sent, Drafts, Outbox) are the innocent case and are left alone.
      if (!routed && inClientCopyFolder(email)) continue;
      const signedTwin = email.messageId ? signedById.get(email.messageId) : undefined;
      if (inSentFolder(email) && signedTwin) continue;
      const time = email.date ? Date.parse(email.date) : NaN;
      const copies = copiesOf(email, byItem, byMessageId);
      for (const [scope, key] of [['sender', email.from.address], ['domain', email.from.domain]] as const) {
        const inScope = copies.filter((r) => (scope === 'sender' ? r.sender.address : r.sender.domain) === key);
        const habit = habitOf(routedBy[scope].get(key), inScope);
        if (!habit || (!Number.isNaN(time) && time < habit.firstSigned)) continue;
        const who = scope === 'sender' ? email.from.address : email.from.domain;
        addFinding(out, email.itemId, {
          check: 'dkim.signing-habit',
          severity: 'warning',
          message: routed
            ? `Unsigned, yet it crossed a mail server, while the other ${habit.passingCount} server-routed messages of ${scope} ${who} in the dump are DKIM-signed and verify.`
            : `Unsigned and without any Received trace, though filed outside Sent/Drafts, while the other ${habit.passingCount} server-routed messages of ${scope} ${who} in the dump are DKIM-signed and verify.`,
          evidence: {
            scope,
            [scope]: who,
            serverRouted: routed,
            signedExamples: habit.passing.slice(0, 5).map(routedRef),
            signedCount: habit.passingCount,
            otherUnsigned: habit.otherUnsigned.slice(0, 5).map(routedRef),
            signingSince: Number.isFinite(habit.firstSigned) ? new Date(habit.firstSigned).toISOString() : null,
            ...(signedTwin ? { signedTwin: routedRef(signedTwin) } : {}),
          },
        });
        break;
      }
    }
    return out;
  },
};
