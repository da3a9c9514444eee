// mailer.fingerprint: built-in client knowledge (contradictions) and fingerprints learned from verified mail.
import { describe, expect, it } from 'vitest';
import type { EmailFacts } from '../src/checks/corpus.js';
import { mailerFingerprint } from '../src/checks/email/index.js';
import { fingerprintOf, productOf } from '../src/checks/email/mailer-fingerprint.js';
import { mailFacts } from './fixtures/forgery-lab.js';

const TB_ID = '0f5a3a4c-2b1e-4d5e-9a1f-3c2b1a0e9d8f@campaign.example';
const TB_BOUNDARY = '------------8Ecg4UjE4G3aZ0Wq7Lh3Pn2B';
const OUTLOOK_ID = 'AM6PR01MB4567C0FFEE12345678ABCDEF@AM6PR01MB4567.eurprd01.prod.outlook.com';
const APPLE_ID = '3F2504E0-4F89-11D3-9A0C-0305E82C3301@campaign.example';
const GMAIL_ID = 'CAF4x9Qw2u1x_ZrAbCdEfGhIjKlMnOpQrStUvWxYz012345@mail.gmail.com';

interface Style { mailer?: string; id: string; boundary?: string; order?: 'outlook' | 'thunderbird' }
async function msg(itemId: number, from: string, s: Style, extra: Partial<EmailFacts> = {}): Promise<EmailFacts> {
  const h: Record<string, string> = {
    from: `From: ${from}`, to: 'To: x@campaign.example', subject: 'Subject: s', date: 'Date: Tue, 3 Mar 2020 10:00:00 +0100',
    id: `Message-ID: <${s.id}>`, mime: 'MIME-Version: 1.0',
    ct: s.boundary ? `Content-Type: multipart/alternative; boundary="${s.boundary}"` : 'Content-Type: text/plain',
  };
  const order = s.order === 'thunderbird' ? ['id', 'date', 'mime', 'to', 'from', 'subject', 'ct'] : ['from', 'to', 'subject', 'date', 'id', 'ct', 'mime'];
  const lines = order.map((k) => h[k]!);
  if (s.mailer) lines.push(s.mailer);
  const body = s.boundary ? `--${s.boundary}\r\nContent-Type: text/plain\r\n\r\nhi\r\n--${s.boundary}--` : 'hi';
  return mailFacts(itemId, lines, body, extra);
}
const run = (emails: EmailFacts[]) => mailerFingerprint.run(emails, { orgDomains: ['campaign.example'] });

describe('mailer.fingerprint: built-in knowledge', () => {
  it('classifies the common clients', async () => {
    expect(productOf(fingerprintOf(await msg(1, 'a@x.example', { id: OUTLOOK_ID, boundary: '_000_AM6PR01MB4567ABCDEF_' })))).toBe('outlook');
    expect(productOf(fingerprintOf(await msg(1, 'a@x.example', { id: TB_ID, boundary: TB_BOUNDARY, mailer: 'User-Agent: Mozilla/5.0 Thunderbird/115.0' })))).toBe('thunderbird');
    expect(productOf(fingerprintOf(await msg(1, 'a@x.example', { id: APPLE_ID, boundary: 'Apple-Mail=_3F2504E0-4F89-11D3-9A0C-0305E82C3301' })))).toBe('apple');
    expect(productOf(fingerprintOf(await msg(1, 'a@x.example', { id: GMAIL_ID, boundary: '000000000000a1b2c305e1234567' })))).toBe('gmail');
    expect(productOf(fingerprintOf(await msg(1, 'a@x.example', { id: 'abc123@webmail.example', mailer: 'User-Agent: Roundcube Webmail/1.6.1' })))).toBeUndefined();
  });

  const valid: [string, Style][] = [
    ['consistent Thunderbird', { mailer: 'User-Agent: Mozilla/5.0 (X11; rv:102.0) Gecko/20100101 Thunderbird/102.11.0', id: TB_ID, boundary: TB_BOUNDARY }],
    ['consistent Outlook (Exchange Online)', { mailer: 'X-Mailer: Microsoft Outlook 16.0', id: OUTLOOK_ID, boundary: '_000_AM6PR01MB4567ABCDEF_' }],
    ['iPhone Mail', { mailer: 'X-Mailer: iPhone Mail (20E252)', id: APPLE_ID, boundary: 'Apple-Mail-3F2504E0-4F89-11D3-9A0C-0305E82C3301' }],
    ['Outlook for Mac with a UUID Message-ID', { mailer: 'User-Agent: Microsoft-MacOutlook/16.78.23121017', id: APPLE_ID, boundary: 'B_3784567890_1234567' }],
    ['unknown client', { mailer: 'User-Agent: Roundcube Webmail/1.6.1', id: 'abc123@campaign.example', boundary: '=_a1b2c3d4e5f6' }],
    ['bulk mailer with any ids', { mailer: 'X-Mailer: Mailchimp Mailer - **CID5a1b2c3d4e**', id: TB_ID, boundary: '000000000000a1b2c305e1234567' }],
    ['mailing list re-wrapped the MIME', { mailer: 'X-Mailer: Apple Mail (2.3731.500.231)', id: APPLE_ID, boundary: '===============1234567890==' }],
    ['no signals at all', { id: 'x@y.example' }],
  ];
  it.each(valid)('valid: %s', async (_n, style) => expect(run([await msg(1, 'alice@campaign.example', style)]).size).toBe(0));

  const invalid: [string, Style, RegExp][] = [
    ['Outlook X-Mailer on a Thunderbird Message-ID and boundary', { mailer: 'X-Mailer: Microsoft Outlook 16.0', id: TB_ID, boundary: TB_BOUNDARY }, /Microsoft Outlook 16\.0.*uuid-lower.*mozilla/],
    ['Apple Mail X-Mailer with Gmail ids', { mailer: 'X-Mailer: Apple Mail (2.3731.500.231)', id: GMAIL_ID, boundary: '000000000000a1b2c305e1234567' }, /Apple Mail.*gmail/],
    ['Gmail Message-ID with an Outlook boundary', { id: GMAIL_ID, boundary: '_000_AM6PR01MB4567ABCDEF_' }, /gmail Message-ID, exchange MIME boundary/],
    ['Thunderbird User-Agent with an Exchange Online Message-ID', { mailer: 'User-Agent: Mozilla/5.0 Thunderbird/115.0', id: OUTLOOK_ID }, /exchange-online/],
  ];
  it.each(invalid)('invalid: %s', async (_n, style, message) => {
    const f = run([await msg(1, 'alice@campaign.example', style)]).get(1) ?? [];
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(message);
  });
});

describe('mailer.fingerprint: learned from verified mail', () => {
  const outlook: Style = { mailer: 'X-Mailer: Microsoft Outlook 16.0', id: OUTLOOK_ID, boundary: '_000_AM6PR01MB4567ABCDEF_' };
  const thunderbird: Style = { mailer: 'User-Agent: Mozilla/5.0 Thunderbird/115.0', id: TB_ID, boundary: TB_BOUNDARY, order: 'thunderbird' };
  const iphone: Style = { mailer: 'X-Mailer: iPhone Mail (20E252)', id: APPLE_ID, boundary: 'Apple-Mail-3F2504E0-4F89-11D3-9A0C-0305E82C3301' };
  const verified = (n: number, from: string, s: Style) => Promise.all(Array.from({ length: n }, (_, i) => msg(100 + i, from, s, { verified: true })));

  it('invalid: a Thunderbird message from a sender whose verified mail is all Outlook', async () => {
    const f = run([...(await verified(3, 'alice@campaign.example', outlook)), await msg(1, 'alice@campaign.example', thunderbird)]).get(1) ?? [];
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/Written with thunderbird.*3 DKIM-verified.*outlook/);
    expect(f[0]!.evidence.scope).toBe('sender');
  });
  it('invalid: same client, header order unlike every verified message', async () => {
    const f = run([...(await verified(3, 'bob@campaign.example', thunderbird)), await msg(1, 'bob@campaign.example', { ...thunderbird, order: 'outlook' })]).get(1) ?? [];
    expect(f[0]?.message).toMatch(/Header order differs/);
  });
  it('invalid: domain habit when the sender has no verified mail', async () => {
    const f = run([...(await verified(5, 'someone@campaign.example', outlook)), await msg(1, 'new@campaign.example', iphone)]).get(1) ?? [];
    expect(f[0]?.evidence.scope).toBe('domain');
  });
  it('valid: second device already seen in verified mail', async () => {
    const emails = [...(await verified(3, 'david@campaign.example', outlook)), await msg(200, 'david@campaign.example', iphone, { verified: true }), await msg(1, 'david@campaign.example', iphone)];
    expect(run(emails).get(1)).toBeUndefined();
  });
  it('valid: too few verified messages to know a habit', async () => {
    expect(run([...(await verified(2, 'alice@campaign.example', outlook)), await msg(1, 'alice@campaign.example', thunderbird)]).size).toBe(0);
  });
  it('valid: verified messages are never judged against habits', async () => {
    expect(run([...(await verified(3, 'alice@campaign.example', outlook)), await msg(1, 'alice@campaign.example', thunderbird, { verified: true })]).size).toBe(0);
  });
});
