// dkim.signing-habit: an unsigned, server-routed message from a sender or domain that always signs.
import { describe, expect, it } from 'vitest';
import type { EmailFacts } from '../src/checks/corpus.js';
import { dkimSigningHabit } from '../src/checks/email/index.js';
import { mailFacts } from './fixtures/forgery-lab.js';

const sig = (domain: string, pass = true): EmailFacts['signed'][number] => ({ domain, pass, aligned: true });
async function msg(itemId: number, from: string, o: { date?: string; routed?: boolean; signed?: EmailFacts['signed']; id?: string; path?: string } = {}): Promise<EmailFacts> {
  return mailFacts(itemId, [
    ...(o.routed === false ? [] : [`Received: from a by mx.campaign.example; ${o.date ?? 'Tue, 3 Mar 2020 10:00:05 +0100'}`]),
    `From: ${from}`, `Date: ${o.date ?? 'Tue, 3 Mar 2020 10:00:00 +0100'}`, `Message-ID: <${o.id ?? `m${itemId}@x`}>`,
  ], 'hello', { signed: o.signed ?? [], verified: (o.signed ?? []).some((s) => s.pass), occurrencePaths: [o.path ?? `dump/bob/Inbox/${itemId}.eml`] });
}
const signedOnes = (n: number, from: string, domain: string) => Promise.all(Array.from({ length: n }, (_, i) => msg(100 + i, from, { signed: [sig(domain)] })));
const run = (emails: EmailFacts[]) => dkimSigningHabit.run(emails, { orgDomains: ['campaign.example'] });

describe('dkim.signing-habit', () => {
  it('invalid: unsigned routed message from a domain whose other mail is signed', async () => {
    const f = run([...(await signedOnes(3, 'david@campaign.example', 'campaign.example')), await msg(1, 'david@campaign.example')]).get(1) ?? [];
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/other 3 server-routed messages of sender david@campaign.example/);
    expect(f[0]!.evidence.signedCount).toBe(3);
  });
  it('invalid: domain habit (the sender himself has no other mail)', async () => {
    const f = run([...(await signedOnes(3, 'alice@campaign.example', 'campaign.example')), await msg(1, 'ghost@campaign.example')]).get(1) ?? [];
    expect(f[0]?.evidence.scope).toBe('domain');
  });
  it('invalid: a Sent-path copy that crossed a server but has no signed twin', async () => {
    const f = run([...(await signedOnes(3, 'david@campaign.example', 'campaign.example')), await msg(1, 'david@campaign.example', { path: 'dump/david/Sent Items/1.eml' })]);
    expect(f.get(1)).toHaveLength(1);
  });

  it('valid: client copy with no Received header, filed in Sent or Drafts', async () => {
    for (const path of ['dump/david/Sent Items/1.eml', 'dump/david/Brouillons/1.eml']) {
      expect(run([...(await signedOnes(3, 'david@campaign.example', 'campaign.example')), await msg(1, 'david@campaign.example', { routed: false, path })]).size).toBe(0);
    }
  });
  it('invalid: no Received trace at all, yet filed as received mail', async () => {
    const f = run([...(await signedOnes(3, 'david@campaign.example', 'campaign.example')), await msg(1, 'david@campaign.example', { routed: false })]).get(1) ?? [];
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence.serverRouted).toBe(false);
    expect(f[0]!.message).toMatch(/without any Received trace/);
  });
  it('invalid: mail relayed by a sending service does not break the habit', async () => {
    const esp = await msg(2, 'news@campaign.example', { signed: [{ domain: 'bulk.example', pass: true, aligned: false }] });
    const f = run([...(await signedOnes(3, 'david@campaign.example', 'campaign.example')), esp, await msg(1, 'ghost@campaign.example')]);
    expect(f.get(1)).toHaveLength(1);
    expect(f.get(2)).toBeUndefined();
  });
  it('valid: relayed by a sending service that signs with its own domain', async () => {
    const esp = await msg(1, 'david@campaign.example', { signed: [{ domain: 'bulk.example', pass: true, aligned: false }] });
    expect(run([...(await signedOnes(3, 'david@campaign.example', 'campaign.example')), esp]).size).toBe(0);
  });
  it('valid: Sent-folder copy whose signed twin is in the dump', async () => {
    const twin = await msg(2, 'david@campaign.example', { id: 'same@x', signed: [sig('campaign.example')] });
    const sent = await msg(1, 'david@campaign.example', { id: 'same@x', path: 'dump/david/Éléments envoyés/1.eml' });
    expect(run([...(await signedOnes(3, 'david@campaign.example', 'campaign.example')), twin, sent]).size).toBe(0);
  });
  it('valid: domain that never signs', async () => {
    const olga = await Promise.all([1, 2, 3, 4].map((i) => msg(i, 'olga@oldschool.example')));
    expect(run(olga).size).toBe(0);
  });
  it('valid: only two signed messages', async () => {
    expect(run([...(await signedOnes(2, 'david@campaign.example', 'campaign.example')), await msg(1, 'david@campaign.example')]).size).toBe(0);
  });
  it('valid: domain with other unsigned server-routed mail is not "always signed"', async () => {
    const other = await msg(2, 'emma@campaign.example');
    expect(run([...(await signedOnes(3, 'david@campaign.example', 'campaign.example')), other, await msg(1, 'alice@campaign.example')]).get(1)).toBeUndefined();
  });
  it('invalid: two unsigned messages among forty signed ones from the same sender are both flagged', async () => {
    const out = run([...(await signedOnes(40, 'david@campaign.example', 'campaign.example')), await msg(1, 'david@campaign.example'), await msg(2, 'david@campaign.example')]);
    expect(out.get(1)?.[0]?.evidence['otherUnsigned']).toEqual([expect.objectContaining({ item: 2 })]);
    expect(out.get(2)?.[0]?.severity).toBe('warning');
  });
  it('valid: a sender that sends one in ten messages unsigned has no habit', async () => {
    const unsigned = await Promise.all([1, 2, 3, 4].map((i) => msg(i, 'david@campaign.example')));
    expect(run([...(await signedOnes(36, 'david@campaign.example', 'campaign.example')), ...unsigned]).size).toBe(0);
  });
  it('valid: dated before the domain started signing', async () => {
    const old = await msg(1, 'david@campaign.example', { date: 'Mon, 4 Nov 2019 09:00:00 +0100' });
    expect(run([...(await signedOnes(3, 'david@campaign.example', 'campaign.example')), old]).size).toBe(0);
  });
  it('valid: signed, even if the signature fails (another check reports that)', async () => {
    expect(run([...(await signedOnes(3, 'david@campaign.example', 'campaign.example')), await msg(1, 'david@campaign.example', { signed: [sig('campaign.example', false)] })]).size).toBe(0);
  });
});
