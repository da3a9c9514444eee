// thread.quote: quotes compared with their originals, blame put on the side DKIM does not back.
import { describe, expect, it } from 'vitest';
import type { EmailFacts } from '../src/checks/corpus.js';
import { threadQuote } from '../src/checks/email/index.js';
import { threadGroups, type ThreadLinks } from '../src/checks/email/thread-quote.js';
import { extractQuote } from '../src/checks/email/quotes.js';
import { mailFacts } from './fixtures/forgery-lab.js';

const ORIGINAL = 'Hi Bob,\n\nWe will not pay for the extra cleaning. The landlord agreed to 900 euros per month from November.\n\nSecond point: the van keys are at the desk.\n\n-- \nAlice Martin\nCampaign HQ';
const original = (text = ORIGINAL, verified = false, id = 1) =>
  mailFacts(id, ['From: Alice Martin <alice@campaign.example>', 'To: bob@campaign.example', 'Subject: Permanence', 'Date: Tue, 3 Mar 2020 10:00:00 +0100', `Message-ID: <orig-${id}@campaign.example>`], text, { verified });
const reply = (body: string, verified = false, o: { date?: string; refs?: string; id?: number } = {}) =>
  mailFacts(o.id ?? 2, ['From: Bob Keller <bob@campaign.example>', 'To: alice@campaign.example', 'Subject: Re: Permanence', `Date: ${o.date ?? 'Tue, 3 Mar 2020 14:00:00 +0100'}`,
    `Message-ID: <reply-${o.id ?? 2}@campaign.example>`, ...(o.refs === '' ? [] : [`In-Reply-To: <${o.refs ?? 'orig-1@campaign.example'}>`, `References: <${o.refs ?? 'orig-1@campaign.example'}>`])], body, { verified });
const quoted = (t: string) => t.split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n');
const run = (emails: EmailFacts[]) => threadQuote.run(emails, { orgDomains: [] });
const warnings = (m: Map<number, import('../src/model.js').Finding[]>, id: number) => (m.get(id) ?? []).filter((f) => f.severity === 'warning');

describe('extractQuote', () => {
  it('finds Gmail attributions wrapped over two lines', () => {
    const s = extractQuote('Thanks.\n\nOn Tue, Mar 3, 2020 at 10:00 AM Alice Martin <\nalice@campaign.example> wrote:\n\n> Hi Bob,\n> line');
    expect(s?.style).toBe('prefixed');
    expect(s?.attribution?.addresses).toEqual(['alice@campaign.example']);
    expect(s?.chunks).toEqual([['Hi Bob,', 'line']]);
  });
  it('finds French Outlook header blocks', () => {
    const s = extractQuote('Merci.\n\nDe : Alice Martin <alice@campaign.example>\nEnvoyé : mardi 3 mars 2020 10:00\nÀ : Bob\nObjet : Permanence\n\nHi Bob,');
    expect(s?.style).toBe('block');
    expect(s?.attribution?.subject).toBe('Permanence');
    expect(s?.chunks).toEqual([['Hi Bob,']]);
  });
  it('finds the attribution iOS puts inside the quote, and splits inline replies', () => {
    const s = extractQuote('Ok.\n\n> On 3 Mar 2020, at 10:00, Alice Martin <alice@campaign.example> wrote:\n>\n> one\n\nmine\n\n> two');
    expect(s?.attribution?.addresses).toEqual(['alice@campaign.example']);
    expect(s?.chunks).toEqual([['', 'one'], ['two']]);
  });
  it('ignores a lone "From:" in prose', () => {
    expect(extractQuote('From: the desk, we need pens.\n\nThanks')).toBeUndefined();
  });
});

describe('thread.quote', () => {
  const valid: [string, string][] = [
    ['verbatim Thunderbird quote re-wrapped at 72 columns', `On 03/03/2020 10:00, Alice Martin wrote:\n${quoted(ORIGINAL.replace('We will not pay for the extra cleaning. The landlord', 'We will not pay for the extra cleaning.\nThe landlord'))}\n\nOk.`],
    ['Outlook block quote', `Ok.\n\n-----Original Message-----\nFrom: Alice Martin <alice@campaign.example>\nSent: Tuesday, March 3, 2020 10:00 AM\nTo: Bob\nSubject: Permanence\n\n${ORIGINAL}`],
    ['inline reply', `On 03/03/2020 10:00, Alice Martin wrote:\n> We will not pay for the extra cleaning.\n\nAgreed.\n\n> Second point: the van keys are at the desk.\n\nThanks.`],
    ['trimmed quote', `On 03/03/2020 10:00, Alice Martin wrote:\n> Hi Bob,\n>\n> We will not pay for the extra cleaning. The landlord agreed to 900 euros per month from November.\n\nOk.`],
    ['quote carrying a mailing-list footer and an external-mail banner', `On 03/03/2020 10:00, Alice Martin wrote:\n> CAUTION: This email originated from outside the organisation.\n${quoted(ORIGINAL)}\n> _______________________________________________\n> Volunteers mailing list\n> https://lists.campaign.example/listinfo/volunteers\n\nOk.`],
    ['quote of a list copy whose footer sits under a signature delimiter (Google Groups)', `On 03/03/2020 10:00, Alice Martin wrote:\n${quoted(ORIGINAL)}\n> \n> -- \n> You received this message because you are subscribed to the Google Groups "Volunteers" group.\n> To unsubscribe from this group and stop receiving emails from it, send an email to volunteers+unsubscribe@googlegroups.com.\n\nOk.`],
    ['quote of a list copy re-wrapped at 66 columns with a dashed footer', `On 03/03/2020 10:00, Alice Martin wrote:\n${quoted(ORIGINAL.replace('The landlord agreed to 900 euros', 'The landlord\nagreed to 900 euros'))}\n> --\n> Announce list: https://lists.example/announce (unsubscribe here)\n\nOk.`],
    ['quote of some other message (low overlap): not this check\'s business', `On 03/03/2020 10:00, Alice Martin wrote:\n> Completely different words about rally buses and posters today.\n\nOk.`],
  ];
  it.each(valid)('valid: %s', async (_n, body) => {
    const out = run([await original(), await reply(body, true)]);
    expect(warnings(out, 1)).toEqual([]);
    expect(warnings(out, 2)).toEqual([]);
  });

  it('info: a verified reply quoting verbatim corroborates its unverified original', async () => {
    const out = run([await original(), await reply(`On 03/03/2020 10:00, Alice Martin wrote:\n${quoted(ORIGINAL)}`, true)]);
    expect(out.get(1)).toEqual([expect.objectContaining({ severity: 'info', message: 'Quoted verbatim by DKIM-verified reply #2.' })]);
  });

  it('invalid: original altered, verified reply quotes the real text → warning on the original with a diff', async () => {
    const altered = ORIGINAL.replace('We will not pay', 'We will pay');
    const out = run([await original(altered), await reply(`On 03/03/2020 10:00, Alice Martin wrote:\n${quoted(ORIGINAL)}`, true)]);
    const f = warnings(out, 1);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/DKIM-verified reply #2: this message was altered/);
    expect(f[0]!.evidence.removedFromOriginal).toEqual([]);
    expect(f[0]!.evidence.addedInQuote).toEqual(['not']);
    expect(f[0]!.evidence.diff).toContain('- We will pay for the extra cleaning. The landlord agreed to 900 euros per month from November.');
    expect(out.get(2)).toBeUndefined();
  });

  it('invalid: quote altered in an unverified reply to a verified original → warning on the reply', async () => {
    const out = run([await original(ORIGINAL, true), await reply(`Ok.\n\nDe : Alice Martin <alice@campaign.example>\nEnvoyé : mardi 3 mars 2020 10:00\nÀ : Bob\nObjet : Permanence\n\n${ORIGINAL.replace('900', '9 000')}`)]);
    expect(warnings(out, 2)[0]?.message).toMatch(/which is DKIM-verified: the quote was altered/);
    expect(warnings(out, 2)[0]?.evidence.addedInQuote).toEqual(['9 000']);
    expect(out.get(1)).toBeUndefined();
  });

  it('invalid: text added under a signature delimiter that is no list footer still counts', async () => {
    const out = run([await original(), await reply(`On 03/03/2020 10:00, Alice Martin wrote:\n${quoted(ORIGINAL)}\n> --\n> P.S. Pay the cleaning invoice to the new account.\n\nOk.`, true)]);
    expect(warnings(out, 1)).toHaveLength(1);
  });

  it('invalid: a list footer does not hide a changed figure above it', async () => {
    const out = run([await original(), await reply(`On 03/03/2020 10:00, Alice Martin wrote:\n${quoted(ORIGINAL.replace('900', '1900'))}\n> --\n> Announce list: https://lists.example/announce (unsubscribe here)\n\nOk.`, true)]);
    expect(warnings(out, 1)[0]?.evidence.addedInQuote).toEqual(['1900']);
  });

  it('invalid: neither side verified → both flagged', async () => {
    const out = run([await original(), await reply(`On 03/03/2020 10:00, Alice Martin wrote:\n${quoted(ORIGINAL.replace('900', '1900'))}`)]);
    expect(warnings(out, 1)).toHaveLength(1);
    expect(warnings(out, 2)).toHaveLength(1);
  });

  it('valid: both verified and different → no blame (a client transformation, not a forgery)', async () => {
    const out = run([await original(ORIGINAL, true), await reply(`On 03/03/2020 10:00, Alice Martin wrote:\n${quoted(ORIGINAL.replace('900', '1900'))}`, true)]);
    expect(out.size).toBe(0);
  });

  it('valid: Sent copy of a verified reply inherits its backing', async () => {
    const body = `On 03/03/2020 10:00, Alice Martin wrote:\n${quoted(ORIGINAL)}`;
    const inbox = await reply(body, true, { id: 2 });
    const sent = { ...(await reply(body, false, { id: 3 })), messageId: inbox.messageId };
    const out = run([await original(ORIGINAL.replace('900', '1900')), inbox, sent]);
    expect(warnings(out, 3)).toEqual([]);
    expect(warnings(out, 1)).toHaveLength(1);
  });

  it('invalid: reply references a message dated days later', async () => {
    const out = run([await original(), await reply('Agreed.', false, { date: 'Sat, 29 Feb 2020 09:00:00 +0100' })]);
    expect(warnings(out, 2)[0]?.message).toMatch(/References message #1 .*dated 3 days later/);
    expect(warnings(out, 1)).toHaveLength(1);
  });
  it('valid: referenced message 30 minutes "later" (clock skew)', async () => {
    expect(run([await original(), await reply('Agreed.', false, { date: 'Tue, 3 Mar 2020 09:30:00 +0100' })]).size).toBe(0);
  });

  it('valid: forward without references matched by subject and sender', async () => {
    const fwd = await reply(`FYI\n\n---------- Forwarded message ---------\nFrom: Alice Martin <alice@campaign.example>\nDate: Tue, Mar 3, 2020\nSubject: Permanence\nTo: Bob <bob@campaign.example>\n\n\n${ORIGINAL}`, true, { refs: '' });
    const out = run([await original(), fwd]);
    expect(out.get(1)?.[0]?.severity).toBe('info');
    const altered = run([await original(ORIGINAL.replace('900', '990')), fwd]);
    expect(warnings(altered, 1)).toHaveLength(1);
  });

  it('invalid: "wrote:" reply without In-Reply-To/References, quote altered → matched by author and the reply\'s subject', async () => {
    const forged = await reply(`On 03/03/2020 10:00, Alice Martin <alice@campaign.example> wrote:\n${quoted(ORIGINAL.replace('900', '1,900'))}\n\nOk.`, false, { refs: '' });
    const out = run([await original(ORIGINAL, true), forged]);
    expect(warnings(out, 2)[0]?.message).toMatch(/Quote of #1 differs from that message, which is DKIM-verified/);
    expect(warnings(out, 1)).toEqual([]);
  });
  it('valid: "wrote:" reply without references quoting verbatim, or quoting someone else of the same subject', async () => {
    const verbatim = await reply(`On 03/03/2020 10:00, Alice Martin <alice@campaign.example> wrote:\n${quoted(ORIGINAL)}\n\nOk.`, false, { refs: '' });
    expect([...run([await original(ORIGINAL, true), verbatim]).values()].flat().filter((f) => f.severity !== 'info')).toEqual([]);
    const other = await reply(`On 03/03/2020 10:00, Claire Dubois <claire@campaign.example> wrote:\n${quoted(ORIGINAL.replace('900', '1,900'))}`, false, { refs: '' });
    expect(run([await original(ORIGINAL, true), other]).size).toBe(0);
  });
  it('valid: the quoted author\'s message of that subject is later than the reply: not its original', async () => {
    const early = await reply(`On 03/03/2020 10:00, Alice Martin <alice@campaign.example> wrote:\n${quoted(ORIGINAL.replace('900', '1,900'))}`, false, { refs: '', date: 'Mon, 2 Mar 2020 09:00:00 +0100' });
    expect(run([await original(ORIGINAL, true), early]).size).toBe(0);
  });
});

describe('threadGroups', () => {
  const links = (itemId: number, more: Partial<ThreadLinks>): ThreadLinks => ({ itemId, references: [], subject: '', ...more });

  it('groups replies with what they reference or search, and leaves unrelated mail out', () => {
    const groups = threadGroups([
      links(1, { messageId: 'a@x', subject: 'budget' }),
      links(2, { messageId: 'b@y', inReplyTo: 'a@x', subject: 'budget' }),
      links(3, { messageId: 'c@x', subject: 'lyon hall' }),
      links(4, { messageId: 'd@z', subject: 'lyon hall', searches: 'lyon hall' }), // fabricated: no references
      links(5, { messageId: 'e@x', subject: 'unrelated' }),
      links(6, { messageId: 'f@y', references: ['a@x', 'b@y'], subject: 'budget' }),
      links(7, { messageId: 'a@x', subject: 'budget' }), // a copy of 1 (Sent folder)
      links(8, { messageId: 'g@y', inReplyTo: 'missing@x', subject: 'gone' }), // its original is not in the dump
    ]);
    expect(groups).toEqual([
      [1, 2, 6, 7],
      [3, 4],
    ]);
  });

  it('joins two threads that one message references', () => {
    const groups = threadGroups([
      links(1, { messageId: 'a@x' }),
      links(2, { messageId: 'b@x' }),
      links(3, { messageId: 'c@x', inReplyTo: 'a@x' }),
      links(4, { messageId: 'd@x', inReplyTo: 'b@x' }),
      links(5, { messageId: 'e@x', references: ['a@x', 'b@x'] }),
    ]);
    expect(groups).toEqual([[1, 2, 3, 4, 5]]);
  });
});
