// ESLint-tester style: for every DKIM/ARC check, messages that must trigger it and messages that must not.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/model.js';
import type { EmailAuthResult } from '../src/dkim/types.js';
import { dkimChecks } from '../src/checks/dkim/index.js';
import { KeyStore } from '../src/keys/index.js';
import { verifyEmail } from '../src/dkim/index.js';
import { ownVerdict } from '../src/verdict/rules.js';
import { BASE, keys, replace, seal, sign, storeOf, verify } from './dkim-fixtures.js';
import { HAS_CORPUS, itCorpus } from './helpers/corpus.js';

const PERIOD_2020 = { firstSeenAt: '2020-01-01T00:00:00Z', lastSeenAt: '2021-01-01T00:00:00Z' };

const CORPUS = '../shared/corpus/dkim/';
let corpusKeys: KeyStore;
beforeAll(async () => {
  if (HAS_CORPUS) corpusKeys = await KeyStore.load([`${CORPUS}keys/generated`]);
});
const corpus = async (name: string): Promise<EmailAuthResult> => verifyEmail(readFileSync(`${CORPUS}messages/generated/${name}`), { keys: corpusKeys });

// Cases read from the shared corpus say so in their name: "(corpus e08)".
const testOf = (c: Case) => (c.name.includes('(corpus ') ? itCorpus : it);
type Case = { name: string; auth: () => Promise<EmailAuthResult>; expect?: Partial<Pick<Finding, 'severity' | 'proof'>> & { evidence?: Record<string, unknown> } };

const AUTHOR_PASS = 'mx.list.example; dkim=pass header.d=example.org';
const listModified = async (): Promise<Buffer> =>
  seal(replace(replace(await sign(BASE), 'Subject: Quarterly', 'Subject: [team] Quarterly'), '\r\n\r\n\r\n', '\r\n-- \r\nteam list\r\n'), AUTHOR_PASS, 'none');
const good = async (): Promise<EmailAuthResult> => verify(await sign(BASE));

const cases: Record<string, { valid: Case[]; invalid: Case[] }> = {
  'dkim.signature': {
    valid: [
      { name: 'body tampered', auth: async () => verify(replace(await sign(BASE), 'figures are', 'figures were')) },
      { name: 'unaligned signer', auth: async () => verify(await sign(BASE, { domain: 'list.example', key: keys.list })) },
      { name: '512-bit key', auth: async () => verify(await sign(BASE, { key: keys.rsa512 })) },
      { name: 'From prepended', auth: async () => verify(Buffer.concat([Buffer.from('From: boss@example.org\r\n'), await sign(BASE, { headerList: 'from:subject:date' })])) },
      { name: 'content beyond l=', auth: async () => verify(await sign(BASE, { maxBodyLength: 10 })) },
      { name: 'no key', auth: async () => verifyEmail(await sign(BASE), { keys: new KeyStore() }) },
      { name: 'stray line after From (corpus e08)', auth: () => corpus('e08-utf8-nbsp-line-after-from.eml') },
      { name: 'From not signed (corpus e02)', auth: () => corpus('e02-from-not-signed.eml') },
    ],
    invalid: [
      { name: 'rsa 2048', auth: good, expect: { severity: 'info', proof: 'proves', evidence: { d: 'example.org', s: 'rsa2048', keySource: 'test:rsa2048' } } },
      { name: 'ed25519', auth: async () => verify(await sign(BASE, { key: keys.ed })), expect: { proof: 'proves', evidence: { algorithm: 'ed25519-sha256' } } },
    ],
  },
  'dkim.body-hash': {
    valid: [{ name: 'intact', auth: good }],
    invalid: [
      { name: 'body altered, header verifies', auth: async () => verify(replace(await sign(BASE), 'figures are', 'figures were')), expect: { severity: 'critical', proof: 'disproves' } },
      { name: 'body altered, no key', auth: async () => verifyEmail(replace(await sign(BASE), 'figures are', 'figures were'), { keys: new KeyStore() }), expect: { severity: 'critical', proof: undefined } },
    ],
  },
  'dkim.header-signature': {
    valid: [
      { name: 'intact', auth: good },
      { name: 'no key', auth: async () => verifyEmail(await sign(BASE), { keys: new KeyStore() }) },
      { name: 'rotated key, dated at the message', auth: async () => verifyEmail(await sign(BASE), { keys: storeOf('rsa2048', keys.other.record, 'archive:2015', { firstSeenAt: '2014-01-01T00:00:00Z' }) }) },
      { name: 'Ed25519 with another key', auth: async () => verifyEmail(await sign(BASE, { key: keys.ed }), { keys: storeOf('ed', keys.otherEd.record) }) },
    ],
    invalid: [
      { name: 'Subject altered', auth: async () => verify(replace(await sign(BASE), 'Quarterly', 'Annual')), expect: { severity: 'critical', proof: 'disproves', evidence: { keySource: 'test:rsa2048' } } },
      {
        name: 'Subject altered, right key archived only for another period (dates do not matter)',
        auth: async () => verifyEmail(replace(await sign(BASE), 'Quarterly', 'Annual'), { keys: storeOf('rsa2048', keys.rsa2048.record, 'archive:2020', PERIOD_2020) }),
        expect: { severity: 'critical', proof: 'disproves', evidence: { keySource: 'archive:2020', hashAlgorithm: 'sha256' } },
      },
    ],
  },
  'dkim.key-mismatch': {
    valid: [
      { name: 'intact', auth: good },
      { name: 'Subject altered with the right key (that is a header change)', auth: async () => verify(replace(await sign(BASE), 'Quarterly', 'Annual')) },
      { name: 'no key', auth: async () => verifyEmail(await sign(BASE), { keys: new KeyStore() }) },
    ],
    invalid: [
      {
        name: 'rotated key archived under the selector',
        auth: async () => verifyEmail(await sign(BASE), { keys: storeOf('rsa2048', keys.other.record, 'archive:2020', PERIOD_2020) }),
        expect: { severity: 'info', proof: undefined, evidence: { distinguishable: true, bodyHash: 'pass', selector: 'rsa2048._domainkey.example.org' } },
      },
      {
        name: 'Ed25519 with another key: cannot tell',
        auth: async () => verifyEmail(await sign(BASE, { key: keys.ed }), { keys: storeOf('ed', keys.otherEd.record, 'archive:ed') }),
        expect: { severity: 'warning', proof: undefined, evidence: { distinguishable: false } },
      },
    ],
  },
  'dkim.key-unusable': {
    valid: [{ name: 'key usable', auth: good }, { name: 'revoked key, dkim.key-revoked instead (corpus m08)', auth: () => corpus('m08-revoked.eml') }],
    invalid: [
      {
        name: 'h=sha1 key for an rsa-sha256 signature',
        auth: async () => verifyEmail(await sign(BASE), { keys: storeOf('rsa2048', keys.rsa2048.record.replace('k=rsa;', 'k=rsa; h=sha1;'), 'keys.zone:7') }),
        expect: { severity: 'info', evidence: { keyRecordSource: 'keys.zone:7', problem: 'key h=sha1 does not allow sha256' } },
      },
    ],
  },
  'dkim.unsigned-content': {
    valid: [{ name: 'whole body signed', auth: good }],
    invalid: [{ name: 'appended beyond l=', auth: async () => verify(Buffer.concat([await sign(BASE, { maxBodyLength: 10 }), Buffer.from('Send the money.\r\n')])), expect: { severity: 'critical', proof: 'disproves', evidence: { signedLength: 10 } } }],
  },
  'dkim.unsigned-header': {
    valid: [
      { name: 'intact', auth: good },
      { name: 'Received added above a signed Received', auth: async () => verify(Buffer.concat([Buffer.from('Received: from b\r\n'), await sign(Buffer.concat([Buffer.from('Received: from a\r\n'), Buffer.from(BASE)]), { headerList: 'from:received' })])) },
    ],
    invalid: [
      { name: 'From prepended', auth: async () => verify(Buffer.concat([Buffer.from('From: boss@example.org\r\n'), await sign(BASE, { headerList: 'from:subject:date' })])), expect: { severity: 'critical', proof: 'disproves', evidence: { field: 'from' } } },
      { name: 'stray line after From (corpus e08)', auth: () => corpus('e08-utf8-nbsp-line-after-from.eml'), expect: { severity: 'warning' } },
    ],
  },
  'dkim.key-strength': {
    valid: [{ name: '2048-bit', auth: good }],
    invalid: [
      { name: '512-bit signed by mailauth', auth: async () => verify(await sign(BASE, { key: keys.rsa512 })), expect: { severity: 'warning', evidence: { keyBits: 512 } } },
      { name: '512-bit (corpus m06)', auth: () => corpus('m06-rsa512-weak.eml'), expect: { severity: 'warning' } },
    ],
  },
  'dkim.weak-hash': {
    valid: [{ name: 'rsa-sha256', auth: good }],
    invalid: [{ name: 'rsa-sha1', auth: async () => verify(await sign(BASE, { algorithm: 'rsa-sha1' })), expect: { severity: 'warning' } }],
  },
  'dkim.alignment': {
    valid: [{ name: 'aligned', auth: good }, { name: 'subdomain signer (relaxed)', auth: async () => verify(await sign(replace(Buffer.from(BASE), 'alice@example.org', 'alice@mail.example.org'))) }],
    invalid: [{ name: 'signed by list.example only', auth: async () => verify(await sign(BASE, { domain: 'list.example', key: keys.list })), expect: { severity: 'info', evidence: { otherAlignedSignature: false } } }],
  },
  'dkim.expiry': {
    valid: [{ name: 'no x=', auth: good }],
    invalid: [
      { name: 'expired before Date:', auth: async () => verify(replace(await sign(BASE, { expires: new Date('2015-03-04T00:00:00Z'), headerList: 'from:subject' }), 'Mar 2015', 'Apr 2015')), expect: { severity: 'warning' } },
      { name: 'expired only later (corpus m10)', auth: () => corpus('m10-expired-x.eml'), expect: { severity: 'info' } },
    ],
  },
  'dkim.timestamp': {
    valid: [{ name: 't= 30 s after Date:', auth: good }],
    invalid: [{ name: 'signed two days after Date:', auth: async () => verify(await sign(BASE, { signTime: new Date('2015-03-05T12:00:00Z') })), expect: { severity: 'warning', evidence: { skewSeconds: 172800, dateSigned: true } } }],
  },
  'dkim.malformed': {
    valid: [{ name: 'well-formed', auth: good }],
    invalid: [
      { name: 'unknown algorithm (corpus e03)', auth: () => corpus('e03-unknown-algo.eml'), expect: { severity: 'warning' } },
      { name: 'i= outside d= (corpus e01)', auth: () => corpus('e01-identity-mismatch.eml'), expect: { severity: 'warning' } },
    ],
  },
  'dkim.no-key': {
    valid: [{ name: 'key known', auth: good }],
    invalid: [{ name: 'no key', auth: async () => verifyEmail(await sign(BASE), { keys: new KeyStore() }), expect: { severity: 'info', evidence: { lookup: 'rsa2048._domainkey.example.org', bodyHash: 'pass' } } }],
  },
  'dkim.key-revoked': {
    valid: [{ name: 'key present', auth: good }],
    invalid: [{ name: 'empty p= (corpus m08)', auth: () => corpus('m08-revoked.eml'), expect: { severity: 'info' } }],
  },
  'arc.chain': {
    valid: [{ name: 'no ARC', auth: good }],
    invalid: [
      { name: 'list modification explained', auth: async () => verify(await listModified()), expect: { severity: 'info', evidence: { explains: true, modifiedBy: 1, modifier: 'list.example', ams1Pass: true } } },
      { name: 'chain valid, nothing failing', auth: async () => verify(await seal(await sign(BASE), AUTHOR_PASS, 'none')), expect: { severity: 'info', evidence: { explains: false } } },
      { name: 'hop reported dkim=fail: not explained', auth: async () => verify(await seal(replace(await sign(BASE), 'Quarterly', 'Annual'), 'mx.list.example; dkim=fail header.d=example.org', 'none')), expect: { evidence: { explains: false } } },
      { name: 'modified after sealing', auth: async () => verify(replace(await listModified(), 'team list', 'evil list')), expect: { severity: 'warning', evidence: { explains: false, chain: 'fail' } } },
      {
        name: 'seal key not archived: unknown, a note',
        auth: async () => verifyEmail(await seal(await sign(BASE), AUTHOR_PASS, 'none'), { keys: storeOf('rsa2048', keys.rsa2048.record) }),
        expect: { severity: 'info', evidence: { explains: false, chain: 'fail', unknown: true } },
      },
    ],
  },
};

const check = (id: string) => {
  const c = dkimChecks.find((x) => x.meta.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
};

describe('DKIM/ARC checks', () => {
  it('every check has metadata and cases', () => {
    expect(dkimChecks.map((c) => c.meta.id).sort()).toEqual(Object.keys(cases).sort());
    for (const c of dkimChecks) {
      expect(c.meta.title.length).toBeGreaterThan(5);
      expect(c.meta.description).toMatch(/innocent|Innocent|Not a red flag|Not evidence|Caveat/);
    }
  });

  for (const [id, { valid, invalid }] of Object.entries(cases)) {
    describe(id, () => {
      for (const c of valid) {
        testOf(c)(`does not trigger: ${c.name}`, async () => {
          expect(check(id).run({ auth: await c.auth() })).toEqual([]);
        });
      }
      for (const c of invalid) {
        testOf(c)(`triggers: ${c.name}`, async () => {
          const findings = check(id).run({ auth: await c.auth() });
          expect(findings.length).toBeGreaterThan(0);
          const f = findings[0]!;
          expect(f.check).toBe(id);
          expect(JSON.parse(JSON.stringify(f))).toEqual(f); // JSON-serialisable evidence
          if (c.expect?.severity) expect(f.severity).toBe(c.expect.severity);
          if (c.expect && 'proof' in c.expect) expect(f.proof).toBe(c.expect.proof);
          if (c.expect?.evidence) expect(f.evidence).toMatchObject(c.expect.evidence);
        });
      }
    });
  }
});

describe('verdict interplay', () => {
  const findingsOf = (auth: EmailAuthResult): Finding[] => dkimChecks.flatMap((c) => c.run({ auth }));

  it('a list modification explained by ARC is not "tampered"; the same change without ARC is', async () => {
    const explained = ownVerdict(findingsOf(await verify(await listModified())));
    expect(explained.verdict).not.toBe('tampered');
    const modified = replace(replace(await sign(BASE), 'Subject: Quarterly', 'Subject: [team] Quarterly'), '\r\n\r\n\r\n', '\r\n-- \r\nteam list\r\n');
    expect(ownVerdict(findingsOf(await verify(modified))).verdict).toBe('tampered');
  });

  it('a clean signed message is verified', async () => {
    expect(ownVerdict(findingsOf(await verify(await sign(BASE)))).verdict).toBe('verified');
  });
});
