// How a key's archive dates are told: they describe where the key comes from, never what a
// signature proves (archives see keys late and lose them early; docs/verdicts.md, "Key dates").
import type { KeyAttempt } from '../../dkim/types.js';

/** `seen in the archive from … to …; the message is dated inside/outside that period`. */
export function provenanceNote(k: KeyAttempt, messageDate: string | undefined): string {
  if (!k.firstSeenAt && !k.lastSeenAt) return `key from ${k.source} (no archive dates)`;
  const period = `seen ${k.firstSeenAt ? `from ${k.firstSeenAt}` : ''}${k.firstSeenAt && k.lastSeenAt ? ' ' : ''}${k.lastSeenAt ? `to ${k.lastSeenAt}` : ''}`;
  if (!messageDate) return `key from ${k.source}, ${period}`;
  const t = Date.parse(messageDate);
  const inside = (!k.firstSeenAt || t >= Date.parse(k.firstSeenAt)) && (!k.lastSeenAt || t <= Date.parse(k.lastSeenAt));
  return `key from ${k.source}, ${period}; the message date ${messageDate} is ${inside ? 'inside' : 'outside'} that period${inside ? '' : ' (archives see keys late and lose them early: this says nothing about the message)'}`;
}
