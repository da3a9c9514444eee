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

/**
 * What the habit needs of a server-routed message, kept for every one of them between the two
 * passes over the case: flags and a time instead of the message's facts (about 130 bytes each).
 */
interface Routed {
  itemId: number;
  from: NonNullable<EmailFacts['from']>;
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

const routedOf = (e: EmailFacts, from: NonNullable<EmailFacts['from']>): Routed => {
  const aligned = hasAlignedSignature(e);
  return {
    itemId: e.itemId,
    from,
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
  from: r.from.address,
  date: Number.isNaN(r.time) ? null : new Date(r.time).toISOString(),
  messageId: r.messageId ?? null,
});

interface Habit { passing: Routed[]; firstSigned: number; otherUnsigned: Routed[] }

/**
 * The signing habit of each sender or domain: its server-routed messages dated from its first
 * signed message on carry an aligned signature (all but one in twenty), ≥3 of them passing. Mail dated before the
 * first signed message is outside the habit (the domain may have started signing later).
 */
function habitOf(group: Routed[] | undefined, self: EmailFacts): Habit | undefined {
  if (!group) return undefined;
  // Mail relayed by a sending service (valid signature of another domain only) says nothing of the
  // domain's own outgoing server: it neither builds nor breaks the habit.
  const routed = group.filter((e) => e.itemId !== self.itemId && !e.relayed && (self.messageId === undefined || e.messageId !== self.messageId));
  const signed = routed.filter((e) => e.aligned);
  const times = signed.map((e) => e.time).filter((t) => !Number.isNaN(t));
  const firstSigned = times.length ? Math.min(...times) : -Infinity;
  const inEra = routed.filter((e) => Number.isNaN(e.time) || e.time >= firstSigned);
  const otherUnsigned = inEra.filter((e) => !e.aligned);
  if (otherUnsigned.length > Math.floor((inEra.length - otherUnsigned.length) * MAX_UNSIGNED_PER_SIGNED)) return undefined;
  const passing = inEra.filter((e) => e.passing);
  if (passing.length < MIN_SIGNED_PASSING) return undefined;
  return { passing, firstSigned, otherUnsigned };
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
    const routedBy = { sender: new Map<string, Routed[]>(), domain: new Map<string, Routed[]>() };
    // The first message of each Message-ID with a passing aligned signature: the signed twin of a
    // Sent copy. The copies it vouches for are never in it (they carry no aligned signature).
    const signedById = new Map<string, Routed>();
    const senders = new Map<string, NonNullable<EmailFacts['from']>>(); // one object per sender, shared
    for (const e of emails) {
      if (!e.from) continue;
      const key = `${e.from.address}\n${e.from.name ?? ''}`;
      const from = senders.get(key) ?? senders.set(key, e.from).get(key)!;
      if (e.messageId && !signedById.has(e.messageId) && e.signed.some((s) => s.pass && s.aligned)) signedById.set(e.messageId, routedOf(e, from));
      if (!isServerRouted(e)) continue;
      const r = routedOf(e, from);
      for (const [map, k] of [[routedBy.sender, from.address], [routedBy.domain, from.domain]] as const) {
        const list = map.get(k);
        if (list) list.push(r);
        else map.set(k, [r]);
      }
    }
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
      for (const [scope, key] of [['sender', email.from.address], ['domain', email.from.domain]] as const) {
        const habit = habitOf(routedBy[scope].get(key), email);
        if (!habit || (!Number.isNaN(time) && time < habit.firstSigned)) continue;
        const who = scope === 'sender' ? email.from.address : email.from.domain;
        addFinding(out, email.itemId, {
          check: 'dkim.signing-habit',
          severity: 'warning',
          message: routed
            ? `Unsigned, yet it crossed a mail server, while the other ${habit.passing.length} server-routed messages of ${scope} ${who} in the dump are DKIM-signed and verify.`
            : `Unsigned and without any Received trace, though filed outside Sent/Drafts, while the other ${habit.passing.length} server-routed messages of ${scope} ${who} in the dump are DKIM-signed and verify.`,
          evidence: {
            scope,
            [scope]: who,
            serverRouted: routed,
            signedExamples: habit.passing.slice(0, 5).map(routedRef),
            signedCount: habit.passing.length,
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
