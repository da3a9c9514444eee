// dkim.signing-habit counts each sender's and domain's habit by binary search over sorted times, so a
// domain with tens of thousands of messages costs no pass over them per message judged. It must find
// exactly what the direct way finds (test/fixtures/signing-habit-reference.ts): checked on random
// mailboxes mixing habits, undated mail, relayed mail, copies sharing a Message-ID and Sent folders.
import { describe, expect, it } from 'vitest';
import type { EmailFacts, SignedFact } from '../src/checks/corpus.js';
import { dkimSigningHabit } from '../src/checks/email/index.js';
import { Prng } from '../bench/lib/prng.js';
import { referenceSigningHabit } from './fixtures/signing-habit-reference.js';

const DOMAINS = [
  { domain: 'always.example', signs: 1 },
  { domain: 'mostly.example', signs: 0.97 },
  { domain: 'half.example', signs: 0.5 },
];

function mailbox(seed: number, n: number): EmailFacts[] {
  const rng = new Prng(seed);
  const emails: EmailFacts[] = [];
  for (let i = 1; i <= n; i++) {
    const earlier = emails.length > 0 && rng.next() < 0.08 ? rng.pick(emails) : undefined;
    const d = earlier ? DOMAINS.find((x) => x.domain === earlier.from!.domain)! : rng.pick(DOMAINS);
    const address = earlier ? earlier.from!.address : `user${rng.int(1, 4)}@${d.domain}`;
    const signed: SignedFact[] = [];
    // A copy is often the unsigned client copy of a signed message, or the other way round.
    const signs = earlier ? (earlier.signed.length > 0 ? 0.3 : 0.7) : d.signs;
    if (rng.next() < signs) signed.push({ domain: d.domain, aligned: true, pass: rng.next() < 0.9, result: 'pass' });
    if (rng.next() < 0.03) signed.push({ domain: 'sender-service.example', aligned: false, pass: true, result: 'pass' });
    const folder = rng.next() < 0.1 ? 'Sent Items' : rng.next() < 0.03 ? 'Drafts' : 'Inbox';
    // A copy (Sent and Inbox, two mailboxes) keeps the Date of the message it copies.
    const date = earlier ? earlier.date : rng.next() < 0.05 ? undefined : new Date(Date.UTC(2016, 0, 1) + rng.int(0, 400) * 86_400_000).toISOString();
    emails.push({
      itemId: i * 3, // ids with gaps, as in a case holding other items
      raw: Buffer.alloc(0),
      headers: rng.next() < 0.85 ? [{ name: 'Received', value: 'from a by b; Mon, 1 Feb 2016 10:00:00 +0000' }] : [],
      from: { address, domain: d.domain },
      ...(date ? { date } : {}),
      ...(rng.next() < 0.03 ? {} : { messageId: earlier?.messageId ?? `m${i}@${d.domain}` }),
      references: [],
      signed: signed.map((s) => ({ ...s, pass: s.pass && s.aligned ? rng.next() < 0.95 : s.pass })),
      verified: false,
      occurrencePaths: [`dump/${folder}/${i}.eml`],
    });
  }
  return emails;
}

describe('dkim.signing-habit at scale', () => {
  it('finds exactly what the direct way finds, on 300 random mailboxes', () => {
    let findings = 0;
    for (let seed = 1; seed <= 300; seed++) {
      // Small mailboxes make the edge cases common (the first signed message being a copy of the one judged).
      const made = mailbox(seed, seed <= 250 ? 12 + (seed % 40) : 300 + seed);
      // Item order is the pipeline's; a check must not rely on it.
      const emails = seed % 3 === 0 ? made.reverse() : made;
      const settings = { orgDomains: [] };
      const fast = dkimSigningHabit.run(emails, settings);
      const direct = referenceSigningHabit.run(emails, settings);
      expect([...fast].sort((a, b) => a[0] - b[0]), `seed ${seed}`).toEqual([...direct].sort((a, b) => a[0] - b[0]));
      findings += direct.size;
    }
    // Worth something only if habits were found and broken, by sender and by domain.
    expect(findings).toBeGreaterThan(50);
  });
});
