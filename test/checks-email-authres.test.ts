// auth-results.contradiction: a receiving server's dkim=pass that our recomputation does not reproduce.
import { describe, expect, it } from 'vitest';
import type { EmailFacts } from '../src/checks/corpus.js';
import { authResultsContradiction } from '../src/checks/email/index.js';
import { dkimPassClaims } from '../src/checks/email/auth-results-contradiction.js';
import { mailFacts } from './fixtures/forgery-lab.js';

const msg = (ar: string[], signed: EmailFacts['signed'], extraHeaders: string[] = []) =>
  mailFacts(1, [...ar, 'Received: from a by mx.campaign.example; Tue, 3 Mar 2020 10:00:05 +0100', ...extraHeaders, 'From: Paul <paul@partner.example>', 'Date: Tue, 3 Mar 2020 10:00:00 +0100'], 'x', { signed });
const run = async (ar: string[], signed: EmailFacts['signed'], extra: string[] = []) =>
  authResultsContradiction.run([await msg(ar, signed, extra)], { orgDomains: [] }).get(1) ?? [];
const fail = (domain: string, result = 'fail') => ({ domain, pass: false, aligned: domain === 'partner.example', result });
const pass = (domain: string) => ({ domain, pass: true, aligned: domain === 'partner.example' });

describe('auth-results.contradiction', () => {
  it('parses authserv-id, Exchange style without it, comments and header.i', async () => {
    const f = await msg([
      'Authentication-Results: mx.campaign.example; dkim=pass (2048-bit key; secure) header.d=partner.example header.s=s1; spf=pass smtp.mailfrom=partner.example',
      'Authentication-Results: dkim=pass (signature was verified) header.d=Other.Example;dmarc=pass action=none header.from=partner.example',
      'ARC-Authentication-Results: i=1; relay.example; dkim=pass header.i=@third.example; dkim=fail header.d=x.example',
    ], []);
    expect(dkimPassClaims(f).map((c) => [c.header, c.authservId ?? null, c.arcInstance ?? null, c.domain])).toEqual([
      ['Authentication-Results', 'mx.campaign.example', null, 'partner.example'],
      ['Authentication-Results', null, null, 'other.example'],
      ['ARC-Authentication-Results', 'relay.example', 1, 'third.example'],
    ]);
  });

  const valid: [string, string[], EmailFacts['signed'], string[]][] = [
    ['claim and our result agree', ['Authentication-Results: mx.campaign.example; dkim=pass header.d=partner.example'], [pass('partner.example')], []],
    ['no signature, and the server said so', ['Authentication-Results: mx.campaign.example; dkim=none (message not signed)'], [], []],
    ['server saw the failure too', ['Authentication-Results: mx.campaign.example; dkim=fail header.d=partner.example'], [fail('partner.example')], []],
    ['mailing list rewrote the message after its server checked it', ['Authentication-Results: lists.campaign.example; dkim=pass header.d=partner.example'], [fail('partner.example'), pass('lists.campaign.example')], ['List-Id: Volunteers <volunteers.lists.campaign.example>']],
    ['key unavailable to us: not checkable, not a contradiction', ['Authentication-Results: mx.campaign.example; dkim=pass header.d=partner.example'], [fail('partner.example', 'temperror')], []],
    ['one of two signatures of the domain passes', ['Authentication-Results: mx.campaign.example; dkim=pass header.d=partner.example'], [fail('partner.example'), pass('partner.example')], []],
  ];
  it.each(valid)('valid: %s', async (_n, ar, signed, extra) => expect(await run(ar, signed, extra)).toEqual([]));

  it('invalid: signature of the From domain fails after the server passed it → critical', async () => {
    const f = await run(['Authentication-Results: mx.campaign.example; dkim=pass header.d=partner.example header.s=s1'], [fail('partner.example')]);
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('critical');
    expect(f[0]!.message).toMatch(/fails our recomputation/);
    expect(f[0]!.evidence.ourResults).toEqual([{ domain: 'partner.example', pass: false, result: 'fail' }]);
  });
  it('invalid: pass claimed for the From domain, no such signature → critical', async () => {
    const f = await run(['Authentication-Results: dkim=pass (signature was verified) header.d=partner.example;dmarc=pass'], []);
    expect(f[0]?.severity).toBe('critical');
    expect(f[0]?.message).toMatch(/carries no signature of partner\.example/);
  });
  it('invalid: pass claimed for a third-party domain that is absent → warning', async () => {
    const f = await run(['Authentication-Results: mx.campaign.example; dkim=pass header.d=esp.example'], [pass('partner.example')]);
    expect(f[0]?.severity).toBe('warning');
  });
  it('invalid: ARC hop claimed pass, signature now fails → warning only', async () => {
    const f = await run(['ARC-Authentication-Results: i=1; relay.example; dkim=pass header.d=partner.example'], [fail('partner.example')]);
    expect(f[0]?.severity).toBe('warning');
    expect(f[0]?.evidence.arcInstance).toBe(1);
  });
});
