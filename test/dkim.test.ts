import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASE, keys, replace, seal, sign, verify } from './dkim-fixtures.js';
import { KeyStore } from '../src/keys/index.js';
import { canonBody } from '../src/dkim/canon.js';
import { itCorpus } from './helpers/corpus.js';

describe('verifyEmail on messages signed by mailauth', () => {
  it.each([
    ['rsa-sha256 relaxed/relaxed', {}],
    ['rsa-sha256 simple/simple', { canonicalization: 'simple/simple' }],
    ['rsa-sha256 relaxed/simple', { canonicalization: 'relaxed/simple' }],
    ['rsa-sha1', { algorithm: 'rsa-sha1' as const }],
    ['ed25519-sha256', { key: keys.ed }],
    ['ed25519-sha256 simple', { key: keys.ed, canonicalization: 'simple/simple' }],
  ])('passes %s', async (_name, opts) => {
    const r = await verify(await sign(BASE, opts));
    expect(r.signatures).toHaveLength(1);
    const s = r.signatures[0]!;
    expect(s.result).toBe('pass');
    expect(s.bodyHash.status).toBe('pass');
    expect(s.headerSignature.status).toBe('pass');
    expect(s.headerSignature.key?.source).toMatch(/^test:/);
    expect(s.alignment.alignment).toBe('strict');
    expect(r.from).toEqual({ address: 'alice@example.org', domain: 'example.org' });
    expect(r.date).toBe('2015-03-03T12:00:00.000Z');
    expect(r.keysUsed).toHaveLength(1);
  });

  it('reports rsa-sha1 as a weakness but still verifies it', async () => {
    const s = (await verify(await sign(BASE, { algorithm: 'rsa-sha1' }))).signatures[0]!;
    expect(s.weaknesses).toContain('rsa-sha1');
  });

  it('verifies a 512-bit RSA signature and flags the key size', async () => {
    const s = (await verify(await sign(BASE, { key: keys.rsa512 }))).signatures[0]!;
    expect(s.cryptoValid).toBe(true);
    expect(s.headerSignature.key?.bits).toBe(512);
    expect(s.weaknesses).toContain('rsa-key-512-bits');
  });

  it('verifies the same message saved with bare LF line ends', async () => {
    const signed = await sign(BASE);
    const lf = Buffer.from(signed.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    expect((await verify(lf)).signatures[0]!.result).toBe('pass');
  });

  it('reports body and header separately: body altered, header still valid', async () => {
    const r = await verify(replace(await sign(BASE), 'figures are', 'figures were'));
    const s = r.signatures[0]!;
    expect(s.result).toBe('fail');
    expect(s.bodyHash.status).toBe('fail');
    expect(s.bodyHash.computed).not.toBe(s.bodyHash.expected);
    expect(s.headerSignature.status).toBe('pass');
  });

  it('reports body and header separately: header altered, body still valid', async () => {
    const s = (await verify(replace(await sign(BASE), 'Subject: Quarterly', 'Subject: Annual'))).signatures[0]!;
    expect(s.bodyHash.status).toBe('pass');
    expect(s.headerSignature.status).toBe('fail');
    expect(s.result).toBe('fail');
  });

  it('still hashes the body when no key is known', async () => {
    const s = (await verify(await sign(BASE), new KeyStore())).signatures[0]!;
    expect(s.result).toBe('nokey');
    expect(s.bodyHash.status).toBe('pass');
    expect(s.headerSignature.status).toBe('unverifiable');
    expect(s.headerSignature.reason).toMatch(/no key/);
  });

  it('tries every archived key of a selector and reports the one that verifies', async () => {
    const store = new KeyStore();
    store.add({ domain: 'example.org', selector: 'rsa2048', value: keys.other.record, source: 'archive:old', firstSeenAt: '2010-01-01' });
    store.add({ domain: 'EXAMPLE.org', selector: 'RSA2048', value: keys.rsa2048.record, source: 'archive:new' });
    const s = (await verify(await sign(BASE), store)).signatures[0]!;
    expect(s.result).toBe('pass');
    expect(s.headerSignature.keysTried.map((k) => k.outcome)).toEqual(['mismatch', 'verified']);
    expect(s.headerSignature.key?.source).toBe('archive:new');
  });

  it('detects a From prepended above the signed one (unsigned instance)', async () => {
    const signed = await sign(BASE, { headerList: 'from:to:subject:date' });
    const forged = Buffer.concat([Buffer.from('From: Mallory <boss@example.org>\r\n'), signed]);
    const s = (await verify(forged)).signatures[0]!;
    expect(s.cryptoValid).toBe(true);
    expect(s.coverage.unsignedInstances).toEqual([{ name: 'from', present: 2, signed: 1, unsigned: [{ line: 1, value: 'Mallory <boss@example.org>' }] }]);
  });

  itCorpus('treats oversigning as fine and an added instance of an oversigned field as a failure', async () => {
    // mailauth never oversigns, so both cases come from the corpus (signed by a third-party signer).
    const corpusKeys = await KeyStore.load(['../shared/corpus/dkim/keys/generated']);
    const m01 = (await verify(readFileSync('../shared/corpus/dkim/messages/generated/m01-rsa-pass.eml'), corpusKeys)).signatures[0]!;
    expect(m01.result).toBe('pass');
    expect(m01.coverage.oversigned).toEqual(['from']);
    const e04 = (await verify(readFileSync('../shared/corpus/dkim/messages/generated/e04-second-from-added.eml'), corpusKeys)).signatures[0]!;
    expect(e04.headerSignature.status).toBe('fail');
    expect(e04.bodyHash.status).toBe('pass');
  });

  it('reports content appended beyond l= with its size and preview', async () => {
    const signed = await sign(BASE, { maxBodyLength: 12 });
    const appended = Buffer.concat([signed, Buffer.from('PS: wire the money to account 666.\r\n')]);
    const s = (await verify(appended)).signatures[0]!;
    expect(s.result).toBe('pass');
    expect(s.bodyHash.signedLength).toBe(12);
    const canonical = canonBody(appended.subarray(appended.indexOf('\r\n\r\n') + 4), 'relaxed');
    expect(s.bodyHash.unsignedLength).toBe(canonical.length - 12);
    expect(s.bodyHash.unsignedPreview).toContain('wire the money');
    expect(s.weaknesses).toContain('partial-body');
  });

  it('fails when the body is shorter than l=', async () => {
    const signed = await sign(BASE, { maxBodyLength: 20 });
    const cut = Buffer.from(signed.toString('latin1').replace(/\r\n\r\nHello[\s\S]*$/, '\r\n\r\nHi\r\n'), 'latin1');
    const s = (await verify(cut)).signatures[0]!;
    expect(s.bodyHash.status).toBe('fail');
    expect(s.bodyHash.reason).toMatch(/shorter/);
  });

  itCorpus('marks i= outside d= and unsigned From as rule violations (permerror) while reporting crypto', async () => {
    // mailauth cannot write i=, so this case uses the corpus message signed by a third-party signer.
    const e01 = readFileSync('../shared/corpus/dkim/messages/generated/e01-identity-mismatch.eml');
    const corpusKeys = await KeyStore.load(['../shared/corpus/dkim/keys/generated']);
    const bad = (await verify(e01, corpusKeys)).signatures[0]!;
    expect(bad.cryptoValid).toBe(true);
    expect(bad.result).toBe('permerror');
    expect(bad.ruleViolations.join()).toMatch(/i=.*not in d=/);
    const noFrom = (await verify(await sign(BASE, { headerList: 'subject:date' }))).signatures[0]!;
    expect(noFrom.cryptoValid).toBe(true);
    expect(noFrom.result).toBe('permerror');
    expect(noFrom.coverage.fromSigned).toBe(false);
  });

  it('judges x= at the message Date:, not today', async () => {
    const stillValid = (await verify(await sign(BASE, { expires: new Date('2015-03-04T00:00:00Z') }))).signatures[0]!;
    expect(stillValid.result).toBe('pass');
    expect(stillValid.time.expiredAtMessageDate).toBe(false);
    const old = replace(await sign(BASE, { expires: new Date('2015-03-04T00:00:00Z'), headerList: 'from:subject' }), 'Date: Tue, 03 Mar 2015', 'Date: Tue, 10 Mar 2015');
    const expired = (await verify(old)).signatures[0]!;
    expect(expired.time.expiredAtMessageDate).toBe(true);
    expect(expired.result).toBe('permerror');
  });

  it('notes t= far from Date: and in the future relative to it', async () => {
    const s = (await verify(await sign(BASE, { signTime: new Date('2015-03-05T12:00:00Z') }))).signatures[0]!;
    expect(s.time.skewSeconds).toBe(2 * 86400);
    expect(s.time.farFromDate).toBe(true);
    expect(s.time.signedAfterDate).toBe(true);
  });

  it('reports a malformed signature instead of dropping it, and still checks the good one', async () => {
    const signed = await sign(BASE);
    const withJunk = Buffer.concat([Buffer.from('DKIM-Signature: v=1; a=rsa-sha512; d=example.org; s=x; h=from; bh=AAAA; b=AAAA\r\n'), signed]);
    const r = await verify(withJunk);
    expect(r.signatures).toHaveLength(2);
    expect(r.signatures[0]!.result).toBe('permerror');
    expect(r.signatures[0]!.parseErrors.join()).toMatch(/rsa-sha512/);
    expect(r.signatures[1]!.result).toBe('pass');
  });

  it('handles raw 8-bit header bytes without decoding them', async () => {
    const latin = Buffer.concat([Buffer.from('Subject: caf'), Buffer.from([0xe9]), Buffer.from(' ')]);
    const msg = Buffer.from(BASE.replace('Subject: Quarterly figures', `${latin.toString('latin1')}\u00e9t\u00e9`), 'latin1');
    expect((await verify(await sign(msg))).signatures[0]!.result).toBe('pass');
  });

  it('reports a revoked key', async () => {
    const store = new KeyStore();
    store.add({ domain: 'example.org', selector: 'rsa2048', value: 'v=DKIM1; k=rsa; p=', source: 'test:revoked' });
    const s = (await verify(await sign(BASE), store)).signatures[0]!;
    expect(s.result).toBe('permerror');
    expect(s.headerSignature.keysTried[0]!.outcome).toBe('revoked');
  });

  it('enforces key h= and k= constraints', async () => {
    const store = new KeyStore();
    store.add({ domain: 'example.org', selector: 'rsa2048', value: `${keys.rsa2048.record}; h=sha1`, source: 'test:h' });
    store.add({ domain: 'example.org', selector: 'ed', value: keys.ed.record.replace('k=ed25519', 'k=rsa'), source: 'test:k' });
    const h = (await verify(await sign(BASE), store)).signatures[0]!;
    expect(h.headerSignature.keysTried[0]!.reason).toMatch(/h=sha1/);
    const k = (await verify(await sign(BASE, { key: keys.ed }), store)).signatures[0]!;
    expect(k.headerSignature.status).toBe('unverifiable');
  });
});

describe('ARC', () => {
  const AUTHOR_PASS = 'mx.list.example; dkim=pass header.d=example.org';

  it('validates a chain sealed by mailauth and reports each set', async () => {
    const once = await seal(await sign(BASE), AUTHOR_PASS, 'none');
    const twice = await seal(once, 'mx2.list.example; arc=pass', 'pass');
    const r = await verify(twice);
    expect(r.arc.chain).toBe('pass');
    expect(r.arc.instances).toBe(2);
    expect(r.arc.sets.map((s) => [s.instance, s.sealValid, s.amsValid])).toEqual([[1, true, true], [2, true, true]]);
    expect(r.arc.ams1Pass).toBe(true);
    expect(r.arc.oldestPass).toBe(1);
    expect(r.arc.sets[0]!.authResults?.dkim).toEqual([{ result: 'pass', domain: 'example.org' }]);
  });

  it('shows a list modification: author signature fails, chain passes, oldest AMS passes', async () => {
    const received = await sign(BASE);
    const modified = replace(replace(received, 'Subject: Quarterly', 'Subject: [team] Quarterly'), '\r\n\r\n\r\n', '\r\n-- \r\nteam mailing list\r\n');
    const r = await verify(await seal(modified, AUTHOR_PASS, 'none'));
    expect(r.signatures[0]!.result).toBe('fail');
    expect(r.arc.chain).toBe('pass');
    expect(r.arc.ams1Pass).toBe(true);
  });

  it('fails the chain when the message changed after the last seal', async () => {
    const sealed = await seal(await sign(BASE), AUTHOR_PASS, 'none');
    const r = await verify(replace(sealed, 'figures are', 'figures were'));
    expect(r.arc.chain).toBe('fail');
    expect(r.arc.reason).toMatch(/ARC-Message-Signature \(i=1\)/);
    expect(r.arc.oldestPass).toBeUndefined();
  });

  it('fails the chain when an earlier ARC-Authentication-Results was edited', async () => {
    const twice = await seal(await seal(await sign(BASE), 'mx.list.example; dkim=fail header.d=example.org', 'none'), 'mx2.list.example; arc=pass', 'pass');
    const r = await verify(replace(twice, 'dkim=fail', 'dkim=pass'));
    expect(r.arc.chain).toBe('fail');
    expect(r.arc.reason).toMatch(/ARC-Seal i=2 does not verify/);
  });

  it('reports no chain for a message without ARC headers', async () => {
    expect((await verify(Buffer.from(BASE))).arc).toMatchObject({ chain: 'none', instances: 0, ams1Pass: null });
  });
});

describe('the message date the verifier judges x= and t= by', () => {
  it('is read by the one mail-date parser: named European zones, no guessing in local time', async () => {
    const { parseMailDate } = await import('../src/dkim/date.js');
    const checks = await import('../src/checks/email/dates.js');
    expect(checks.parseMailDate).toBe(parseMailDate);
    // Date.parse knows only the US zone names: a CEST Date: used to leave x= unjudged.
    expect(parseMailDate('Tue, 3 Mar 2015 14:00:00 CEST')).toBe(Date.UTC(2015, 2, 3, 12));
    expect(parseMailDate('3 Mar 15 12:00 +0000 (UTC)')).toBe(Date.UTC(2015, 2, 3, 12));
    expect(parseMailDate('Tue, 3 Mar 2015 12:00:00 XYZT')).toBeUndefined();
  });
});
