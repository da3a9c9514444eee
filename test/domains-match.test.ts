// Matching hosts against protected domains: one test per technique, one per hard negative that
// must stay quiet, and the collection of domains from an email's headers, links and text.
import { describe, expect, it } from 'vitest';
import { Matcher, maxEdits } from '../src/domains/match.js';
import { damerauLevenshtein } from '../src/domains/distance.js';
import { emailSightings, textSightings } from '../src/domains/collect.js';

const m = new Matcher([
  { domain: 'en-marche.fr', allow: ['en-marche.org'] },
  { domain: 'office.com', allow: [] },
  { domain: 'free.fr', allow: [] },
]);
const techniques = (h: string): string[] => m.match(h).map((r) => `${r.imitates} ${r.technique}`);

describe('techniques', () => {
  it('exact generated variant, with its fuzzer, under the same or another suffix', () => {
    expect(m.match('en-mrache.fr')).toContainEqual(expect.objectContaining({ technique: 'variant', detail: 'transposition variant of en-marche.fr' }));
    expect(m.match('en-mrache.com')[0]?.detail).toMatch(/transposition variant of en-marche.fr under another suffix/);
    expect(techniques('en-marche.com')).toContain('en-marche.fr variant'); // same name, other suffix
  });
  it('same skeleton after IDN decoding and confusable folding', () => {
    expect(techniques('еn-mаrche.fr')).toContain('en-marche.fr skeleton'); // Cyrillic е and а
    expect(techniques(new URL('http://еn-marche.fr').hostname)).toContain('en-marche.fr skeleton'); // its punycode form
    expect(techniques('frее.fr')).toEqual(['free.fr skeleton']); // a short brand still matches visually
  });
  it('Damerau-Levenshtein on the registrable label, scaled for its length', () => {
    expect(damerauLevenshtein('campaign', 'campagin')).toBe(1); // a swap is one edit
    expect(damerauLevenshtein('campaign', 'canpaing')).toBe(2);
    expect(damerauLevenshtein('abcdef', 'uvwxyz', 2)).toBe(3); // stops early past the bound
    expect([maxEdits(4), maxEdits(6), maxEdits(9)]).toEqual([0, 1, 2]);
    expect(techniques('em-narche.fr')).toContain('en-marche.fr edit-distance'); // 2 edits on 9 letters
    expect(techniques('offize.com')).toContain('office.com edit-distance');
    expect(techniques('oftize.com')).not.toContain('office.com edit-distance'); // 2 edits on 6 letters: too far
  });
  it('brand as a token of another registrable domain, and combosquats', () => {
    expect(techniques('onedrive-en-marche.fr')).toEqual(['en-marche.fr brand-token']);
    expect(techniques('mail-en-marche.fr')).toEqual(['en-marche.fr brand-token']);
    expect(techniques('enmarche-login.fr')).toEqual(['en-marche.fr brand-token']);
    expect(techniques('officelogin.com')).toContain('office.com brand-token');
  });
  it('brand inside the subdomain of another domain', () => {
    expect(techniques('en-marche.fr.secure-login.example')).toEqual(['en-marche.fr brand-in-subdomain']);
  });
  it('provider impersonation: providers are protected domains too', () => {
    expect(techniques('portal-office.fr')).toEqual(['office.com brand-token']);
    expect(techniques('accounts-office.fr')).toEqual(['office.com brand-token']);
  });
});

describe('hard negatives stay quiet', () => {
  it('the owners\' own domains and their allow-lists, with subdomains', () => {
    for (const h of ['en-marche.fr', 'mail.en-marche.fr', 'en-marche.org', 'outlook.office.com', 'outlook.com', 'microsoft.com', 'free.fr']) expect(m.match(h), h).toEqual([]);
  });
  it('email service tracking hosts, even when they carry the brand', () => {
    expect(m.match('en-marche.us15.list-manage.com')).toEqual([]);
    expect(m.match('click.mandrillapp.com')).toEqual([]);
    expect(m.match('en-marche-fr.sendgrid.net')).toEqual([]);
  });
  it('CDNs and mailing-list hosts', () => {
    expect(m.match('d1x2y3z4.cloudfront.net')).toEqual([]);
    expect(m.match('en-marche.googlegroups.com')).toEqual([]);
    expect(m.match('lists.sourceforge.net')).toEqual([]);
  });
  it('short unrelated domains one edit from a short brand', () => {
    for (const h of ['tree.fr', 'fred.fr', 'fret.fr', 'freed.fr', 'frees.com', 'fee.fr']) expect(m.match(h), h).toEqual([]);
  });
  it('unrelated words that merely contain a brand, and unrelated names', () => {
    for (const h of ['officedepot.com', 'officielle.fr', 'lemonde.fr', 'marche.fr', 'example.com']) expect(m.match(h), h).toEqual([]);
  });
});

describe('collecting domains from an email', () => {
  const mail = {
    headers: [
      { name: 'From', value: 'Direction <direction@campagin.example>' },
      { name: 'Reply-To', value: 'x@reply.example' },
      { name: 'Return-Path', value: '<bounce@bounce.example>' },
      { name: 'To', value: 'Jean <jean@campaign.example>' },
      { name: 'Received', value: 'from mail.campagin.example (helo.campagin.example [203.0.113.66]) by mx.campaign.example with ESMTPS id X; Tue, 18 Apr 2017 07:55:04 +0000' },
      { name: 'Message-ID', value: '<1@msgid.example>' },
      { name: 'DKIM-Signature', value: 'v=1; a=rsa-sha256; d=signer.example; s=s1; b=abc' },
      { name: 'Authentication-Results', value: 'mx.campaign.example; spf=pass smtp.mailfrom=bounce@spf.example; dkim=pass header.d=signer.example' },
      { name: 'List-Unsubscribe', value: '<https://unsub.example/u?1>, <mailto:leave@unsub-mail.example>' },
    ],
    text: 'Voir https://textlink.example/a et écrire à contact@bodyaddr.example.',
    html: '<a href="http://campagin.example/login">https://mail.campaign.example/login</a> <a href="https://same.example/x">Cliquez ici</a> <a href="https://xn--cmpaign-2fg.example/">cаmpaign.example</a>',
  };
  it('reads every field the issue lists, links with the text shown over them', () => {
    const s = emailSightings(mail);
    const at = (field: string): string[] => s.filter((x) => x.field === field).map((x) => x.host);
    expect(at('from')).toEqual(['campagin.example']);
    expect(at('reply-to')).toEqual(['reply.example']);
    expect(at('return-path')).toEqual(['bounce.example']);
    expect(at('recipient')).toEqual(['campaign.example']);
    expect(at('received')).toEqual(['mail.campagin.example', 'helo.campagin.example', 'mx.campaign.example']);
    expect(at('message-id')).toEqual(['msgid.example']);
    expect(at('dkim')).toEqual(['signer.example']);
    expect(at('auth-results')).toEqual(['spf.example', 'signer.example']);
    expect(at('list-unsubscribe')).toEqual(['unsub.example', 'unsub-mail.example']);
    expect(at('link')).toEqual(['campagin.example', 'same.example', 'xn--cmpaign-2fg.example', 'textlink.example']);
    expect(at('link-text')).toEqual(['mail.campaign.example']); // the Unicode text equals its punycode target
    expect(s.find((x) => x.field === 'link' && x.host === 'campagin.example')?.shownHost).toBe('mail.campaign.example');
    expect(at('body-address')).toEqual(['bodyaddr.example']);
  });
  it('reads addresses and links in an attachment\'s text', () => {
    expect(textSightings('Contact : it@portal-office.fr, https://portal-office.fr/owa').map((x) => x.host)).toEqual(['portal-office.fr', 'portal-office.fr']);
  });
});
