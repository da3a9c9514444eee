import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyStore, chainResolvers, keyDetails, parseKeyRecord, parseZoneKeys, type KeyResolver } from '../src/keys/index.js';
import { itCorpus } from './helpers/corpus.js';

const ICLOUD = '../shared/corpus/dkim/keys/real/1a1hai._domainkey.icloud.com.txt';
const dir = mkdtempSync(join(tmpdir(), 'tamis-keys-'));
const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('KeyStore.load', () => {
  itCorpus('loads a folder of <selector>._domainkey.<domain>.txt files, recursively, remembering each file', async () => {
    const store = await KeyStore.load(['../shared/corpus/dkim/keys/generated']);
    const found = await store.resolve('RSA2048', 'Example.ORG');
    expect(found).toHaveLength(1);
    expect(found[0]!.source).toMatch(/keys\/generated\/rsa2048\._domainkey\.example\.org\.txt$/);
    expect(found[0]!.value).toMatch(/^v=DKIM1; k=rsa; p=MII/);
    expect(store.all().map((k) => k.selector).sort()).toEqual(['ed', 'ed2', 'revoked', 'rsa2048', 'rsa512']);
  });

  itCorpus('loads a single key file', async () => {
    const [k] = (await KeyStore.load([ICLOUD])).all();
    expect(k).toMatchObject({ selector: '1a1hai', domain: 'icloud.com', source: ICLOUD });
  });

  it('loads JSON Lines and JSON arrays in the archive.prove.email shape, with dates and line sources', async () => {
    const jsonl = write(
      'keys.jsonl',
      '{"domain":"example.org","selector":"s1","value":"v=DKIM1; p=AAA","firstSeenAt":"2019-01-01T00:00:00Z","lastSeenAt":"2021-01-01T00:00:00Z"}\n\n' +
        '{"domain":"example.org","selector":"s1","value":"v=DKIM1; p=BBB"}\n',
    );
    const arr = write('keys.json', JSON.stringify([{ domain: 'example.net', selector: 's2', value: 'p=CCC' }]));
    const store = await KeyStore.load([jsonl, arr]);
    const s1 = await store.resolve('s1', 'example.org');
    expect(s1.map((k) => [k.value, k.source, k.firstSeenAt ?? null])).toEqual([
      ['v=DKIM1; p=AAA', `${jsonl}:1`, '2019-01-01T00:00:00Z'],
      ['v=DKIM1; p=BBB', `${jsonl}:3`, null],
    ]);
    expect((await store.resolve('s2', 'example.net'))[0]!.source).toBe(`${arr}#0`);
  });

  it('names the file and line of a broken JSON record', async () => {
    const bad = write('bad.jsonl', '{"domain":"a.org","selector":"s","value":"p="}\n{"domain":"a.org"}\n');
    await expect(KeyStore.load([bad])).rejects.toThrow(`${bad}:2: a key record needs string fields domain, selector and value`);
    await expect(KeyStore.load([join(dir, 'missing.json')])).rejects.toThrow(/missing\.json: cannot read \(ENOENT\)/);
  });

  it('parses BIND zone files: $ORIGIN, relative and absolute names, parentheses, 255-byte chunks, comments', () => {
    const chunk1 = 'v=DKIM1; k=rsa; p=' + 'A'.repeat(237); // 255 bytes
    const zone = [
      '$TTL 3600',
      '$ORIGIN example.org.',
      '@ IN SOA ns hostmaster 1 2 3 4 5',
      `sel1._domainkey IN TXT ( "${chunk1}" ; first chunk`,
      '   "BBBB" )',
      'sel2._domainkey.other.net. 300 IN TXT "v=DKIM1; k=ed25519; p=abc\\"d"',
      '         TXT "second record, same owner"',
      'www IN A 192.0.2.1',
      '$ORIGIN sub.example.org.',
      'sel3._domainkey TXT "p=" ; revoked',
    ].join('\n');
    const keys = parseZoneKeys(zone, 'z.zone');
    expect(keys.map((k) => [k.selector, k.domain, k.value.length, k.source])).toEqual([
      ['sel1', 'example.org', 259, 'z.zone:4'],
      ['sel2', 'other.net', 'v=DKIM1; k=ed25519; p=abc"d'.length, 'z.zone:6'],
      ['sel2', 'other.net', 'second record, same owner'.length, 'z.zone:7'],
      ['sel3', 'sub.example.org', 2, 'z.zone:10'],
    ]);
    expect(keys[0]!.value.endsWith('AAAABBBB')).toBe(true);
  });

  it('loads a zone file through KeyStore.load', async () => {
    const z = write('db.example', '$ORIGIN example.org.\nsel._domainkey 60 IN TXT "v=DKIM1; " "p=XYZ"\n');
    expect((await (await KeyStore.load([z])).resolve('sel', 'example.org'))[0]!.value).toBe('v=DKIM1; p=XYZ');
  });
});

describe('key records', () => {
  itCorpus('reads RSA size, Ed25519, revocation, testing and constraints', async () => {
    const store = await KeyStore.load(['../shared/corpus/dkim/keys/generated']);
    const value = async (s: string): Promise<string> => (await store.resolve(s, 'example.org'))[0]!.value;
    expect(keyDetails(await value('rsa2048'))).toEqual({ algorithm: 'rsa', bits: 2048 });
    expect(keyDetails(await value('rsa512'))).toEqual({ algorithm: 'rsa', bits: 512 });
    expect(keyDetails(await value('ed'))).toEqual({ algorithm: 'ed25519', bits: 256 });
    expect(parseKeyRecord(await value('revoked')).revoked).toBe(true);
    const rec = parseKeyRecord('v=DKIM1; t=y:s; h=sha256; s=email; p=');
    expect([rec.testing, rec.strict, rec.hashes, rec.services]).toEqual([true, true, ['sha256'], ['email']]);
    expect(parseKeyRecord('k=rsa; v=DKIM1; p=AAAA').error).toMatch(/version/);
    expect(parseKeyRecord('v=DKIM1; p=!!!').error).toMatch(/base64/);
  });
});

describe('chainResolvers', () => {
  itCorpus('returns the keys of every resolver and tolerates a failing one when another answers', async () => {
    const store = await KeyStore.load([ICLOUD]);
    const broken: KeyResolver = { resolve: () => Promise.reject(new Error('DNS down')) };
    expect(await chainResolvers(store, broken).resolve('1a1hai', 'icloud.com')).toHaveLength(1);
    await expect(chainResolvers(store, broken).resolve('nope', 'icloud.com')).rejects.toThrow('DNS down');
  });
});
