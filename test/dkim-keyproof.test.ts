// Key problems told apart from tampering (issue 12 §1): messages signed by mailauth, verified with
// the right key, a rotated key, unusable key records and unarchived ARC keys, down to the verdict.
import { createPublicKey, publicDecrypt } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { describe, expect, it } from 'vitest';
import { dkimChecks } from '../src/checks/dkim/index.js';
import { verifyEmail } from '../src/dkim/index.js';
import type { EmailAuthResult } from '../src/dkim/types.js';
import { KeyStore } from '../src/keys/index.js';
import type { Finding } from '../src/model.js';
import { ownVerdict } from '../src/verdict/rules.js';
import { BASE, keys, replace, seal, sign, storeOf, storeWith, verify } from './dkim-fixtures.js';

const findingsOf = (auth: EmailAuthResult): Finding[] => dkimChecks.flatMap((c) => c.run({ auth }));
const verdictOf = (auth: EmailAuthResult): string => ownVerdict(findingsOf(auth)).verdict;
const only = (auth: EmailAuthResult, check: string): Finding[] => findingsOf(auth).filter((f) => f.check === check);
const rotated = (): KeyStore => storeOf('rsa2048', keys.other.record, 'archive.jsonl:3', { firstSeenAt: '2014-06-01T00:00:00Z', lastSeenAt: '2016-01-01T00:00:00Z' });
const AUTHOR_PASS = 'mx.list.example; dkim=pass header.d=example.org';

/** mailauth's own opinion of a message, with `record` as the only key (an independent oracle). */
async function mailauthSays(raw: Buffer, record: string): Promise<string> {
  const res = (await dkimVerify(raw, { resolver: async () => [[record]] })) as { results: { status: { result: string } }[] };
  return res.results[0]?.status.result ?? 'none';
}

describe('RSA: the key that made the signature, or another one', () => {
  it('a one-byte header change with the right key is tampered, and both hashes are shown', async () => {
    const raw = replace(await sign(BASE), 'Subject: Quarterly', 'Subject: Quarterlz');
    expect(await mailauthSays(raw, keys.rsa2048.record)).toBe('fail');
    const auth = await verify(raw);
    const s = auth.signatures[0]!;
    expect(s.headerSignature).toMatchObject({ status: 'fail', cause: 'signed-data-changed' });
    const [f] = only(auth, 'dkim.header-signature');
    expect(f).toMatchObject({ severity: 'critical', proof: 'disproves', evidence: { keySource: 'test:rsa2048', hashAlgorithm: 'sha256' } });
    // OpenSSL's own PKCS#1 v1.5 unpadding gives the DigestInfo: its last 32 bytes are the signer's hash.
    const info = publicDecrypt(createPublicKey({ key: Buffer.from(keys.rsa2048.record.split('p=')[1]!, 'base64'), format: 'der', type: 'spki' }), Buffer.from(s.tags['b']!.replace(/\s+/g, ''), 'base64'));
    expect(f!.evidence['signedHash']).toBe(info.subarray(-32).toString('base64'));
    expect(f!.evidence['computedHash']).not.toBe(f!.evidence['signedHash']);
    expect(f!.message).toContain(String(f!.evidence['signedHash']));
    expect(f!.message).toContain(String(f!.evidence['computedHash']));
    expect(only(auth, 'dkim.key-mismatch')).toEqual([]);
    expect(verdictOf(auth)).toBe('tampered');
  });

  it('the signer\'s hash is the same whichever header was changed; ours follows the change', async () => {
    const signed = await sign(BASE);
    const a = only(await verify(replace(signed, 'Quarterly', 'Quarterlz')), 'dkim.header-signature')[0]!;
    const b = only(await verify(replace(signed, 'Alice <', 'Alicf <')), 'dkim.header-signature')[0]!;
    expect(a.evidence['signedHash']).toBe(b.evidence['signedHash']);
    expect(a.evidence['computedHash']).not.toBe(b.evidence['computedHash']);
  });

  it('rsa-sha1 signatures are opened the same way', async () => {
    const auth = await verify(replace(await sign(BASE, { algorithm: 'rsa-sha1' }), 'Quarterly', 'Quarterlz'));
    expect(only(auth, 'dkim.header-signature')[0]).toMatchObject({ proof: 'disproves', evidence: { hashAlgorithm: 'sha1' } });
  });

  it('a header change is tampered whatever the archive dates say about the key', async () => {
    const store = storeOf('rsa2048', keys.rsa2048.record, 'archive:late', { firstSeenAt: '2019-01-01T00:00:00Z' });
    const auth = await verifyEmail(replace(await sign(BASE), 'Quarterly', 'Annual'), { keys: store });
    expect(verdictOf(auth)).toBe('tampered');
    expect(String(only(auth, 'dkim.header-signature')[0]!.evidence['keyProvenance'])).toMatch(/outside that period/);
  });

  it('a valid signature stays verified when the archive saw the key only later', async () => {
    const store = storeOf('rsa2048', keys.rsa2048.record, 'archive:late', { firstSeenAt: '2019-01-01T00:00:00Z' });
    const auth = await verifyEmail(await sign(BASE), { keys: store });
    expect(verdictOf(auth)).toBe('verified');
    expect(String(only(auth, 'dkim.signature')[0]!.evidence['keyProvenance'])).toMatch(/archive:late, seen from 2019-01-01T00:00:00Z; the message date 2015-03-03T12:00:00.000Z is outside that period \(archives see keys late/);
  });

  it('a rotated key (same selector, another key) is a key mismatch, never tampered: body intact, signer unproven', async () => {
    const raw = await sign(BASE);
    const auth = await verifyEmail(raw, { keys: rotated() });
    expect(auth.signatures[0]!.headerSignature).toMatchObject({ status: 'fail', cause: 'key-mismatch' });
    expect(auth.signatures[0]!.headerSignature.keysTried[0]).toMatchObject({ outcome: 'mismatch', cause: 'not-signer', source: 'archive.jsonl:3' });
    const [f] = only(auth, 'dkim.key-mismatch');
    expect(f).toMatchObject({ severity: 'info', evidence: { bodyHash: 'pass', distinguishable: true } });
    expect(f!.message).toContain('archive.jsonl:3');
    expect(f!.message).toContain('body intact, signer unproven');
    expect(f!.proof).toBeUndefined();
    expect(only(auth, 'dkim.header-signature')).toEqual([]);
    expect(verdictOf(auth)).toBe('consistent');
  });

  it('a rotated key of another size is a mismatch too (b= does not fit the modulus)', async () => {
    const auth = await verifyEmail(await sign(BASE), { keys: storeOf('rsa2048', keys.rsa512.record) });
    expect(auth.signatures[0]!.headerSignature.cause).toBe('key-mismatch');
    expect(verdictOf(auth)).toBe('consistent');
  });

  it('with a rotated key, a header change is not provable: still no tampered', async () => {
    const auth = await verifyEmail(replace(await sign(BASE), 'Quarterly', 'Annual'), { keys: rotated() });
    expect(auth.signatures[0]!.headerSignature.cause).toBe('key-mismatch');
    expect(verdictOf(auth)).toBe('consistent');
  });

  it('among several archived keys, the one that made the signature decides', async () => {
    const store = storeOf('rsa2048', keys.other.record, 'archive:old');
    store.add({ domain: 'example.org', selector: 'rsa2048', value: keys.rsa2048.record, source: 'archive:new' });
    const auth = await verifyEmail(replace(await sign(BASE), 'Quarterly', 'Annual'), { keys: store });
    expect(auth.signatures[0]!.headerSignature.key?.source).toBe('archive:new');
    expect(verdictOf(auth)).toBe('tampered');
  });

  it('a body change with the right key is tampered; with a rotated key the body hash counts on its own', async () => {
    const raw = replace(await sign(BASE), 'figures are', 'figures were');
    expect(verdictOf(await verify(raw))).toBe('tampered');
    const auth = await verifyEmail(raw, { keys: rotated() });
    expect(only(auth, 'dkim.body-hash')[0]).toMatchObject({ severity: 'critical' });
    expect(only(auth, 'dkim.body-hash')[0]!.proof).toBeUndefined();
    expect(only(auth, 'dkim.key-mismatch')[0]!.message).toMatch(/body hash does not match/);
    expect(verdictOf(auth)).toBe('suspicious');
  });
});

describe('Ed25519 cannot tell another key from a changed header', () => {
  it('another Ed25519 key: a warning that says so, not tampered', async () => {
    const auth = await verifyEmail(await sign(BASE, { key: keys.ed }), { keys: storeOf('ed', keys.otherEd.record, 'archive:ed') });
    expect(auth.signatures[0]!.headerSignature.cause).toBe('undetermined');
    const [f] = only(auth, 'dkim.key-mismatch');
    expect(f).toMatchObject({ severity: 'warning', evidence: { distinguishable: false, bodyHash: 'pass' } });
    expect(f!.message).toMatch(/Ed25519 cannot tell/);
    expect(verdictOf(auth)).toBe('suspicious');
  });

  it('a header change with the right Ed25519 key: the same warning, not tampered', async () => {
    const auth = await verify(replace(await sign(BASE, { key: keys.ed }), 'Quarterly', 'Annual'));
    expect(only(auth, 'dkim.header-signature')).toEqual([]);
    expect(only(auth, 'dkim.key-mismatch')[0]).toMatchObject({ severity: 'warning' });
    expect(verdictOf(auth)).toBe('suspicious');
  });

  it('a body change with the right Ed25519 key is tampered (the header signature verifies)', async () => {
    expect(verdictOf(await verify(replace(await sign(BASE, { key: keys.ed }), 'figures are', 'figures were')))).toBe('tampered');
  });
});

describe('unusable archived key records name their file, line and problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tamis-keyproof-'));
  const spki = keys.rsa2048.record.split('p=')[1]!;
  const tiny = (() => {
    const n = Buffer.alloc(32, 0xab);
    n[31]! |= 1;
    const k = createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: 'AQAB' }, format: 'jwk' });
    return k.export({ type: 'spki', format: 'der' }).toString('base64');
  })();
  const classes: [string, string, RegExp][] = [
    ['unparseable p=', 'v=DKIM1; k=rsa; p=MIIB!!not-base64', /p= is not base64/],
    ['p= cut when saved', `v=DKIM1; k=rsa; p=${spki.slice(0, 120)}`, /does not decode as a public key/],
    ['k= neither rsa nor ed25519', `v=DKIM1; k=dsa; p=${spki}`, /unsupported key type k=dsa/],
    ['h= excludes sha256', `v=DKIM1; k=rsa; h=sha1; p=${spki}`, /h=sha1 does not allow sha256/],
    ['too short', `v=DKIM1; k=rsa; p=${tiny}`, /too short: a 256-bit RSA key/],
  ];
  it.each(classes)('%s', async (_name, record, problem) => {
    const zone = join(dir, `${_name.replace(/\W+/g, '-')}.zone`);
    writeFileSync(zone, `$ORIGIN example.org.\n; archived 2015\n\nrsa2048._domainkey IN TXT "${record}"\n`);
    const auth = await verifyEmail(await sign(BASE), { keys: await KeyStore.load([zone]) });
    const [f] = only(auth, 'dkim.key-unusable');
    expect(f).toBeDefined();
    expect(f!.evidence['keyRecordSource']).toBe(`${zone}:4`);
    expect(f!.message).toContain(`${zone}:4`);
    expect(f!.message).toMatch(problem);
    expect(verdictOf(auth)).toBe('consistent');
  });

  it('revoked (empty p=): dkim.key-revoked names the file and line', async () => {
    const zone = join(dir, 'revoked.zone');
    writeFileSync(zone, 'rsa2048._domainkey.example.org. 300 IN TXT "v=DKIM1; k=rsa; p="\n');
    const auth = await verifyEmail(await sign(BASE), { keys: await KeyStore.load([zone]) });
    expect(only(auth, 'dkim.key-revoked')[0]!.message).toContain(`${zone}:1`);
    expect(only(auth, 'dkim.key-unusable')).toEqual([]);
    expect(verdictOf(auth)).toBe('consistent');
  });
});

describe('ARC seals whose keys are not archived are unknown, not failed', () => {
  const noListKey = (): KeyStore => storeOf('rsa2048', keys.rsa2048.record, 'test:rsa2048');

  it('an authentic signed unmodified message sealed by a provider stays verified', async () => {
    const raw = await seal(await seal(await sign(BASE), AUTHOR_PASS, 'none'), AUTHOR_PASS, 'pass');
    const auth = await verifyEmail(raw, { keys: noListKey() });
    expect(auth.arc).toMatchObject({ chain: 'fail', unknown: true, instances: 2 });
    const [f] = only(auth, 'arc.chain');
    expect(f).toMatchObject({ severity: 'info', evidence: { unknown: true, explains: false } });
    expect(f!.message).toMatch(/unknown \(not failed\)/);
    expect(verdictOf(auth)).toBe('verified');
  });

  it('never raises a message without DKIM proof: an unsigned sealed message stays consistent', async () => {
    const auth = await verifyEmail(await seal(Buffer.from(BASE), 'mx.list.example; dkim=none', 'none'), { keys: new KeyStore() });
    expect(auth.arc.unknown).toBe(true);
    expect(verdictOf(auth)).toBe('consistent');
  });

  it('an unknown chain explains nothing: a header change under it stays tampered', async () => {
    const raw = await seal(replace(await sign(BASE), 'Quarterly', 'Annual'), AUTHOR_PASS, 'none');
    expect(verdictOf(await verifyEmail(raw, { keys: noListKey() }))).toBe('tampered');
  });

  it('a seal that fails with its archived key is evidence (warning)', async () => {
    const raw = replace(await seal(await sign(BASE), AUTHOR_PASS, 'none'), 'figures are', 'figures were');
    const auth = await verifyEmail(raw, { keys: storeWith() });
    expect(auth.arc).toMatchObject({ chain: 'fail', unknown: false });
    expect(only(auth, 'arc.chain')[0]).toMatchObject({ severity: 'warning' });
    // Without the author's key, the failing seal alone makes the item suspicious.
    const store = new KeyStore();
    store.add({ domain: 'list.example', selector: 'arc', value: keys.list.record, source: 'test:list' });
    expect(verdictOf(await verifyEmail(raw, { keys: store }))).toBe('suspicious');
  });
});

describe('the DKIM table the report and the comparison checks read', () => {
  it('a rotated key is unverifiable there (no "signature not OK", no failure) and named with its outcome; a proven header change is a failure', async () => {
    const { dkimTable } = await import('../src/analyse/dkim-table.js');
    const { signedFacts } = await import('../src/analyse/email-facts.js');
    const rotatedRows = dkimTable(await verifyEmail(await sign(BASE), { keys: rotated() }));
    expect(rotatedRows[0]).toMatchObject({ signatureOk: null, result: 'nokey', bodyHashOk: true, keySource: 'archive.jsonl:3', keyOutcome: 'mismatch' });
    expect(signedFacts(rotatedRows)[0]).toMatchObject({ pass: false, result: 'nokey' });
    const tamperedRows = dkimTable(await verify(replace(await sign(BASE), 'Quarterly', 'Annual')));
    expect(tamperedRows[0]).toMatchObject({ signatureOk: false, result: 'fail', keySource: 'test:rsa2048' });
  });
});

describe('ARC seals with archived keys that cannot check them', () => {
  it('a seal key archived wrong (rotated) or unusable leaves the chain unknown, the verified message verified', async () => {
    const raw = await seal(await sign(BASE), AUTHOR_PASS, 'none');
    for (const value of [keys.other.record, 'v=DKIM1; k=rsa; p=MIIB!!'] as const) {
      const store = storeOf('rsa2048', keys.rsa2048.record, 'test:rsa2048');
      store.add({ domain: 'list.example', selector: 'arc', value, source: 'archive:list' });
      const auth = await verifyEmail(raw, { keys: store });
      expect(auth.arc).toMatchObject({ chain: 'fail', unknown: true });
      expect(only(auth, 'arc.chain')[0]!.severity).toBe('info');
      expect(only(auth, 'arc.chain')[0]!.message).toContain('archive:list');
      expect(verdictOf(auth)).toBe('verified');
    }
  });
});

describe('DigestInfo without NULL parameters (some old signers)', () => {
  it('verifies when the digest is ours, and is still a proven change when it is not', async () => {
    const { privateEncrypt } = await import('node:crypto');
    const signed = await sign(BASE);
    // The signer's hash of the original header data, as recovered from a changed copy.
    const signerHash = Buffer.from(String(only(await verify(replace(signed, 'Quarterly', 'Quarterlz')), 'dkim.header-signature')[0]!.evidence['signedHash']), 'base64');
    const noNull = Buffer.concat([Buffer.from('302f300b06096086480165030402010420', 'hex'), signerHash]);
    const b = privateEncrypt(keys.rsa2048.privateKey, noNull).toString('base64');
    const oldB = /b=([A-Za-z0-9+/=\s]+?)(?:;|\r\nTo:|\r\nFrom:|$)/.exec(signed.toString('latin1').split('\r\nFrom:')[0]!)![1]!;
    const resigned = replace(signed, oldB, b);
    const auth = await verify(resigned);
    expect(auth.signatures[0]!.headerSignature.status).toBe('pass');
    expect(verdictOf(auth)).toBe('verified');
    expect(verdictOf(await verify(replace(resigned, 'Quarterly', 'Annual')))).toBe('tampered');
  });
});

describe('ARC explains an Ed25519 key mismatch made by a list', () => {
  it('a list that tags the Subject of an Ed25519-signed message, with a valid ARC chain, leaves it consistent', async () => {
    const tagged = replace(await sign(BASE, { key: keys.ed }), 'Subject: Quarterly', 'Subject: [team] Quarterly');
    const auth = await verify(await seal(tagged, AUTHOR_PASS, 'none'));
    expect(only(auth, 'dkim.key-mismatch')[0]).toMatchObject({ severity: 'warning' });
    expect(only(auth, 'arc.chain')[0]!.evidence['explains']).toBe(true);
    expect(verdictOf(auth)).toBe('consistent');
    // Without ARC the same change stays a warning without proof.
    expect(verdictOf(await verify(tagged))).toBe('suspicious');
  });
});
