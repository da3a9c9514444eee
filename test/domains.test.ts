// Organisational domains from the Public Suffix List (tldts), as alignment and every domain
// comparison use them.
import { describe, expect, it } from 'vitest';
import { isSameOrSubdomain, normaliseDomain, organisationalDomain, sameOrganisation } from '../src/domains/index.js';
import { verify, sign, keys, BASE, replace, storeWith } from './dkim-fixtures.js';

describe('organisationalDomain', () => {
  it.each([
    ['mail.example.org', 'example.org'],
    ['Example.ORG.', 'example.org'],
    ['a.b.company.co.uk', 'company.co.uk'],
    ['ministere.gouv.fr', 'ministere.gouv.fr'],
    ['mail.interieur.gouv.fr', 'interieur.gouv.fr'],
    ['x.y.city.kawasaki.jp', 'city.kawasaki.jp'], // a PSL exception rule (!city.kawasaki.jp)
    ['smtp.agency.gov.au', 'agency.gov.au'],
    ['mail.firm.com.br', 'firm.com.br'],
    ['alice.blogspot.com', 'alice.blogspot.com'], // private section: one blog, one organisation
    ['www.alice.blogspot.com', 'alice.blogspot.com'],
    ['co.uk', 'co.uk'], // a bare public suffix is its own
    ['localhost', 'localhost'],
  ])('%s → %s', (d, org) => {
    expect(organisationalDomain(d)).toBe(org);
  });

  it('compares IDN as A-labels, under multi-label and IDN suffixes', () => {
    expect(normaliseDomain('Bücher.Example')).toBe('xn--bcher-kva.example');
    expect(organisationalDomain('mail.bücher.de')).toBe('xn--bcher-kva.de');
    expect(sameOrganisation('mail.bücher.de', 'xn--bcher-kva.de')).toBe(true);
    expect(organisationalDomain('post.мвд.рф')).toBe('xn--b1aew.xn--p1ai');
    expect(organisationalDomain('a.b.公司.cn')).toBe(organisationalDomain('b.xn--55qx5d.cn'));
  });

  it('keeps different registrants apart under a shared suffix', () => {
    expect(sameOrganisation('a.co.uk', 'b.co.uk')).toBe(false);
    expect(sameOrganisation('mail.interieur.gouv.fr', 'justice.gouv.fr')).toBe(false);
    expect(sameOrganisation('alice.blogspot.com', 'bob.blogspot.com')).toBe(false);
    expect(sameOrganisation('news.firm.co.uk', 'firm.co.uk')).toBe(true);
  });

  it('isSameOrSubdomain is label-wise, not a string suffix', () => {
    expect(isSameOrSubdomain('mail.example.org', 'example.org')).toBe(true);
    expect(isSameOrSubdomain('badexample.org', 'example.org')).toBe(false);
  });
});

describe('DKIM alignment uses it', () => {
  it('a signer on another registrant of co.uk is not aligned; a subdomain of the same one is', async () => {
    const from = (d: string) => replace(Buffer.from(BASE), 'alice@example.org', `alice@${d}`);
    const other = (await verify(await sign(from('mail.rival.co.uk'), { domain: 'firm.co.uk', key: keys.rsa2048 }), storeKeyFor('firm.co.uk'))).signatures[0]!;
    expect(other.alignment).toMatchObject({ alignment: 'none', signingOrgDomain: 'firm.co.uk', fromOrgDomain: 'rival.co.uk' });
    const same = (await verify(await sign(from('news.firm.co.uk'), { domain: 'firm.co.uk', key: keys.rsa2048 }), storeKeyFor('firm.co.uk'))).signatures[0]!;
    expect(same.alignment.alignment).toBe('relaxed');
  });
});

function storeKeyFor(domain: string) {
  return storeWith({ domain, selector: 'rsa2048', value: keys.rsa2048.record, source: `test:${domain}` });
}

describe('the email checks align domains the same way', () => {
  it('relaxedAligned follows the Public Suffix List, not a subdomain test', async () => {
    const { relaxedAligned } = await import('../src/checks/email/headers.js');
    expect(relaxedAligned('mail.example.co.uk', 'example.co.uk')).toBe(true);
    expect(relaxedAligned('news.campaign.example', 'campaign.example')).toBe(true);
    // A public suffix is no organisation: the old subdomain test aligned these.
    expect(relaxedAligned('co.uk', 'example.co.uk')).toBe(false);
    expect(relaxedAligned('alice.blogspot.com', 'bob.blogspot.com')).toBe(false);
    expect(relaxedAligned('example.co.uk', 'other.co.uk')).toBe(false);
  });
});
