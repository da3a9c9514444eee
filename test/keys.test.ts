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
    expect((await store.resolve('s2', 'example.net'))[0]!.source).toBe(`${arr}:1`);
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

describe('key files as people save them', () => {
  const record = 'v=DKIM1; k=rsa; p=' + 'Q'.repeat(300);
  const chunks = (v: string): string => (v.match(/.{1,255}/g) ?? []).map((c) => `"${c}"`).join(' ');
  const load = async (...paths: string[]) => (await KeyStore.load(paths)).all();

  it('dig output: comments, question section, TTL, class, split strings', async () => {
    const p = write(
      'dig-answer.txt',
      [
        '',
        '; <<>> DiG 9.18.28 <<>> txt sel1._domainkey.example.org',
        ';; global options: +cmd',
        ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242',
        '',
        ';; QUESTION SECTION:',
        ';sel1._domainkey.example.org.\tIN\tTXT',
        '',
        ';; ANSWER SECTION:',
        `sel1._domainkey.example.org. 3600 IN\tTXT\t${chunks(record)}`,
        '',
        ';; Query time: 20 msec',
        ';; SERVER: 127.0.0.53#53(127.0.0.53) (UDP)',
      ].join('\n'),
    );
    expect((await load(p)).map((k) => [k.selector, k.domain, k.value, k.source])).toEqual([['sel1', 'example.org', record, `${p}:10`]]);
  });

  it('dig output through a CNAME (keys hosted by a mail provider) gives the key to the asked name', async () => {
    const p = write(
      'dig-cname.zone',
      ';; ANSWER SECTION:\ns1._domainkey.firm.example. 300 IN CNAME s1.domainkey.u42.wl.esp.example.\ns1.domainkey.u42.wl.esp.example. 300 IN TXT "v=DKIM1; p=CNAMED"\n',
    );
    expect((await load(p)).map((k) => [k.selector, k.domain, k.value])).toEqual([['s1', 'firm.example', 'v=DKIM1; p=CNAMED']]);
  });

  it('`dig +short` output and bare values need a file named after the key', async () => {
    const named = write('s2._domainkey.example.org.txt', `${chunks(record)}\n`);
    expect((await load(named))[0]).toMatchObject({ selector: 's2', domain: 'example.org', value: record, source: named });
    const noExt = write('s3._domainkey.example.org', `${record}\n`);
    expect((await load(noExt))[0]).toMatchObject({ selector: 's3', domain: 'example.org', value: record });
    const unnamed = write('google.txt', `${chunks(record)}\n`);
    await expect(load(unnamed)).rejects.toThrow(`${unnamed}: cannot tell which key this is: the file name is not <selector>._domainkey.<domain>`);
  });

  it('a single `sel._domainkey.domain TXT "..."` line names its own key, whatever the file is called', async () => {
    const p = write('my key.txt', `s4._domainkey.example.net TXT ${chunks(record)}\n`);
    expect((await load(p)).map((k) => [k.selector, k.domain, k.value, k.source])).toEqual([['s4', 'example.net', record, `${p}:1`]]);
  });

  it('a record naming another key than its file name is an error, not a guess', async () => {
    const p = write('s5._domainkey.example.org.txt', 's5._domainkey.other.example. IN TXT "v=DKIM1; p=AAAA"\n');
    await expect(load(p)).rejects.toThrow(`${p}:1: the record is for s5._domainkey.other.example but the file name says s5._domainkey.example.org`);
  });

  it('in a folder, a file whose name says no key and whose lines name none is an error naming it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tamis-keyfolder-'));
    writeFileSync(join(folder, 'README.md'), 'keys from the 2015 archive\n');
    writeFileSync(join(folder, 'a._domainkey.example.org.txt'), 'v=DKIM1; p=AAAA\n');
    writeFileSync(join(folder, 'example.org.txt'), 'v=DKIM1; p=BBBB\n');
    await expect(load(folder)).rejects.toThrow(`${join(folder, 'example.org.txt')}: cannot tell which key this is`);
  });

  it.each([
    ['an unclosed quote', 'sel._domainkey.example.org. IN TXT "v=DKIM1; p=AAAA\n', ':1: quoted string not closed'],
    ['an unclosed parenthesis', '\n\nsel._domainkey.example.org. IN TXT ( "v=DKIM1; "\n "p=AAAA"\n', ":3: '(' opened here is never closed"],
    ['a relative owner without $ORIGIN', '; from the registrar panel\nsel._domainkey IN TXT "v=DKIM1; p=AAAA"\n', ':2: the owner sel._domainkey is relative and no $ORIGIN gives its domain'],
    ['unquoted TXT data cut by ";"', 'sel._domainkey.example.org. TXT v=DKIM1; k=rsa; p=AAAA\n', ':1: TXT data of sel._domainkey.example.org is not in quotes'],
    ['a TXT record without data', 'sel._domainkey.example.org. 300 IN TXT\n', ':1: TXT record of sel._domainkey.example.org has no data'],
  ])('malformed zone line: %s names the file and line', async (_name, text, message) => {
    const p = write(`bad-${_name.replace(/\W+/g, '-')}.zone`, text);
    await expect(load(p)).rejects.toThrow(`${p}${message}`);
  });

  it('JSON from key archives: pretty-printed archive.prove.email arrays with a line per record', async () => {
    const recs = [
      { domain: 'example.org', selector: 'a', firstSeenAt: '2015-01-01T00:00:00Z', lastSeenAt: '2016-01-01T00:00:00Z', value: 'v=DKIM1; p=AAAA' },
      { domain: 'example.org', selector: 'b', value: 'v=DKIM1; p=BBBB' },
    ];
    const p = write('prove-email.json', JSON.stringify(recs, null, 2));
    expect((await load(p)).map((k) => [k.selector, k.source, k.firstSeenAt ?? null])).toEqual([
      ['a', `${p}:2`, '2015-01-01T00:00:00Z'],
      ['b', `${p}:9`, null],
    ]);
  });

  it('JSON: arrays of saved pages, one record, a wrapping object, TXT chunks, a DNS-over-HTTPS answer', async () => {
    const pages = write('pages.json', JSON.stringify([[{ domain: 'a.example', selector: 's', value: 'p=A' }], [{ domain: 'b.example', selector: 's', value: 'p=B' }]]));
    expect((await load(pages)).map((k) => k.domain)).toEqual(['a.example', 'b.example']);
    const one = write('one.json', JSON.stringify({ domain: 'c.example', selector: 's', value: ['v=DKIM1; ', 'p=C'] }, null, 2));
    expect((await load(one))[0]).toMatchObject({ domain: 'c.example', value: 'v=DKIM1; p=C', source: `${one}:1` });
    const wrapped = write('wrapped.json', JSON.stringify({ count: 1, keys: [{ domain: 'd.example', selector: 's', value: 'p=D' }] }));
    expect((await load(wrapped))[0]!.domain).toBe('d.example');
    const doh = write(
      'doh.json',
      JSON.stringify({ Status: 0, Answer: [{ name: 'x._domainkey.e.example.', type: 16, TTL: 300, data: '"v=DKIM1; k=rsa; " "p=E"' }] }),
    );
    expect((await load(doh))[0]).toMatchObject({ selector: 'x', domain: 'e.example', value: 'v=DKIM1; k=rsa; p=E' });
  });

  it('JSON errors name the file and line', async () => {
    const broken = write('broken.json', '[\n  {"domain": "a.example", "selector": "s", "value": "p=A"},\n  {"domain": "b.example" "selector": "s"}\n]\n');
    await expect(load(broken)).rejects.toThrow(`${broken}:3: not valid JSON`);
    const fqdn = write('fqdn.json', JSON.stringify([{ domain: 's._domainkey.a.example', selector: 's', value: 'p=A' }], null, 2));
    await expect(load(fqdn)).rejects.toThrow(`${fqdn}:2: "domain": "s._domainkey.a.example" is not a domain name`);
    const sel = write('sel.json', JSON.stringify({ domain: 'a.example', selector: 's._domainkey.a.example', value: 'p=A' }));
    await expect(load(sel)).rejects.toThrow(`${sel}:1: "selector"`);
  });
});

describe('keys saved as dig output verify real signatures', () => {
  it('a message signed by mailauth verifies with its key saved as a dig answer in 255-byte strings', async () => {
    const { BASE, keys, sign } = await import('./dkim-fixtures.js');
    const { verifyEmail } = await import('../src/dkim/index.js');
    const chunked = (keys.rsa2048.record.match(/.{1,255}/g) ?? []).map((c) => `"${c}"`).join(' ');
    const p = write('dig-real.txt', `;; ANSWER SECTION:\nrsa2048._domainkey.example.org. 300 IN TXT ${chunked}\n`);
    const auth = await verifyEmail(await sign(BASE), { keys: await KeyStore.load([p]) });
    expect(auth.signatures[0]).toMatchObject({ result: 'pass', headerSignature: { key: { source: `${p}:2` } } });
  });
});

describe('empty files', () => {
  it('an empty archive loads no keys; an empty file named after a key is an empty record', async () => {
    expect((await KeyStore.load([write('empty.jsonl', '')])).all()).toEqual([]);
    const named = write('e._domainkey.example.org.txt', '');
    expect((await KeyStore.load([named])).all()).toEqual([{ selector: 'e', domain: 'example.org', value: '', source: named }]);
  });
});

describe('nslookup output', () => {
  it('Windows layout (strings on indented lines) and Linux layout (same line), CNAMEs followed', async () => {
    const win = write(
      'nslookup-win.txt',
      'Server:  dns.example\r\nAddress:  192.0.2.53\r\n\r\nNon-authoritative answer:\r\nselector1._domainkey.firm.example\ttext =\r\n\r\n\t"v=DKIM1; k=rsa; "\r\n\t"p=WINDOWS"\r\n',
    );
    expect((await KeyStore.load([win])).all().map((k) => [k.selector, k.domain, k.value, k.source])).toEqual([['selector1', 'firm.example', 'v=DKIM1; k=rsa; p=WINDOWS', `${win}:5`]]);
    const linux = write(
      'nslookup-linux.txt',
      'Server:\t\t127.0.0.53\nAddress:\t127.0.0.53#53\n\nNon-authoritative answer:\ns1._domainkey.firm.example\tcanonical name = s1.domainkey.esp.example.\ns1.domainkey.esp.example\ttext = "v=DKIM1; " "p=LINUX"\n',
    );
    expect((await KeyStore.load([linux])).all().map((k) => [k.selector, k.domain, k.value])).toEqual([['s1', 'firm.example', 'v=DKIM1; p=LINUX']]);
    const cut = write('nslookup-cut.txt', 's2._domainkey.firm.example\ttext = "v=DKIM1; p=CUT\n');
    await expect(KeyStore.load([cut])).rejects.toThrow(`${cut}:1: the text of s2._domainkey.firm.example is not in closed quotes`);
  });
});

describe('file names against the records they hold', () => {
  it('a JSON record for another key than its file name says is an error too', async () => {
    const p = write('j1._domainkey.example.org.txt', JSON.stringify({ domain: 'other.example', selector: 'j1', value: 'p=A' }));
    await expect(KeyStore.load([p])).rejects.toThrow(`${p}:1: the record is for j1._domainkey.other.example but the file name says j1._domainkey.example.org`);
    const same = write('j2._domainkey.example.org.json', JSON.stringify({ domain: 'Example.org', selector: 'j2', value: 'p=B' }));
    expect((await KeyStore.load([same])).all()).toHaveLength(1);
  });
});
