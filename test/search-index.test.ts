import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../src/store/case.js';
import { indexCase } from '../src/search/index.js';
import { searchCase, snippetHtml } from '../src/search/search.js';
import { QueryError } from '../src/search/query.js';
import { Annotations } from '../src/store/annotations.js';
import { buildFixtureCase, type FixtureIds } from './server-fixture.js';

let dir: string;
let kase: Case;
let ids: FixtureIds;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tamis-search-'));
  ({ kase, ids } = await buildFixtureCase(dir));
  await indexCase(kase);
});
afterAll(() => {
  kase.close();
  rmSync(dir, { recursive: true, force: true });
});

const idsOf = (q: string, sort: 'relevance' | 'date' = 'relevance') => searchCase(kase.db, { q, sort }).hits.map((h) => h.id);

describe('search index over a real case', () => {
  it('finds accented words from unaccented queries and the reverse', () => {
    expect(idsOf('elysee').sort()).toEqual([ids.elysee, ids.forged].sort());
    expect(idsOf('élysée').sort()).toEqual([ids.elysee, ids.forged].sort());
    expect(idsOf('reunion ELYSEE').sort()).toEqual([ids.elysee, ids.forged].sort());
  });

  it('matches phrases, prefixes, OR and exclusions', () => {
    expect(idsOf('"950 000 euros"')).toEqual([ids.forged]);
    expect(idsOf('offsho*')).toEqual([ids.reply]);
    expect(idsOf('bahamas OR offshore').sort()).toEqual([ids.reply, ids.doc].sort());
    expect(idsOf('elysee -liquide')).toEqual([ids.elysee]);
    expect(idsOf('-elysee kind:email').sort()).toEqual([ids.reply, ids.hostile].sort());
  });

  it('searches attachment names and document text', () => {
    expect(idsOf('programme.txt')).toContain(ids.elysee);
    expect(idsOf('attachment:programme')).toEqual([ids.elysee]);
    expect(idsOf('financement occulte')).toEqual([ids.doc]);
  });

  it('applies field filters', () => {
    expect(idsOf('from:alice').sort()).toEqual([ids.elysee, ids.forged].sort());
    expect(idsOf('to:chloe')).toEqual([ids.elysee]);
    expect(idsOf('domain:evil.example')).toEqual([ids.hostile]);
    expect(idsOf('verdict:tampered')).toEqual([ids.forged]);
    expect(idsOf('check:dkim').sort()).toEqual([ids.elysee, ids.forged].sort());
    expect(idsOf('check:dkim.body-hash')).toEqual([ids.forged]);
    expect(idsOf('has:attachment')).toEqual([ids.elysee]);
    expect(idsOf('type:text/plain')).toEqual([ids.attachment]);
    expect(idsOf('type:application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toEqual([ids.doc]);
    expect(idsOf('kind:email date:2017-04', 'date')).toEqual([ids.hostile, ids.reply]);
    expect(idsOf('date:2017-03..2017-03 kind:email').sort()).toEqual([ids.elysee, ids.forged].sort());
  });

  it('filters by the investigator’s tags', () => {
    new Annotations(kase.db).addTag(ids.reply, 'à vérifier');
    expect(idsOf('tag:"À vérifier"')).toEqual([ids.reply]);
    expect(idsOf('has:tag')).toEqual([ids.reply]);
  });

  it('returns highlighted, escaped snippets and facet counts', () => {
    const r = searchCase(kase.db, { q: 'budget' });
    expect(r.total).toBe(3);
    const reply = r.hits.find((h) => h.id === ids.reply);
    expect(reply?.snippet).toMatch(/<mark>budget<\/mark>/i);
    expect(r.facets.verdict).toEqual(
      expect.arrayContaining([
        { value: 'verified', count: 1 },
        { value: 'tampered', count: 1 },
        { value: 'suspicious', count: 1 },
      ]),
    );
    expect(r.facets.domain).toEqual([
      { value: 'en-marche.fr', count: 2 },
      { value: 'example.org', count: 1 },
    ]);
    expect(r.facets.month).toEqual([
      { value: '2017-03', count: 2 },
      { value: '2017-04', count: 1 },
    ]);
    expect(r.facets.check.map((c) => c.value).sort()).toEqual(['dkim.body-hash', 'dkim.signature', 'received.order']);
  });

  it('samples facets and stops ranking past their limits, and says so', () => {
    const full = searchCase(kase.db, { q: 'kind:email' });
    expect(full.facetsFrom).toBe(4);
    expect(full.facets.kind).toEqual([{ value: 'email', count: 4 }]);
    const sampled = searchCase(kase.db, { q: 'kind:email', facetCap: 2 });
    expect(sampled.total).toBe(4);
    expect(sampled.facetsFrom).toBe(2);
    expect(sampled.facets.kind).toEqual([{ value: 'email', count: 2 }]);
    expect(searchCase(kase.db, { q: 'budget' }).sortedBy).toBe('relevance');
    const broad = searchCase(kase.db, { q: 'budget', rankLimit: 2 });
    expect(broad.sortedBy).toBe('date');
    // Newest first; the two copies sent the same minute are ordered by id, newest item first.
    expect(broad.hits.map((h) => h.id)).toEqual([ids.reply, ids.forged, ids.elysee]);
  });

  it('escapes markup from the dump inside snippets', () => {
    expect(snippetHtml('<img src=x onerror=alert(1)> \u0002pay\u0003')).toBe('&lt;img src=x onerror=alert(1)&gt; <mark>pay</mark>');
    const r = searchCase(kase.db, { q: 'invoice' });
    expect(r.hits[0]?.id).toBe(ids.hostile);
    expect(r.hits[0]?.snippet).not.toMatch(/<(?!\/?mark>)/);
  });

  it('runs queries full of FTS syntax as plain words', () => {
    expect(() => searchCase(kase.db, { q: 'NEAR(a b) x"y AND * ^budget {subject}: "' })).not.toThrow();
    expect(idsOf('NEAR(budget')).toEqual([]);
  });

  it('reports a bad query as a QueryError', () => {
    expect(() => searchCase(kase.db, { q: 'verdict:nope' })).toThrow(QueryError);
  });

  it('follows a verdict that changed alone, without re-indexing', async () => {
    kase.setVerdict(ids.hostile, 'suspicious', 'remote tracking pixel');
    expect(idsOf('verdict:suspicious')).not.toContain(ids.hostile);
    expect((await indexCase(kase)).indexed).toBe(0);
    expect(idsOf('verdict:suspicious')).toContain(ids.hostile);
    kase.setVerdict(ids.hostile, 'consistent', '');
    await indexCase(kase);
  });

  it('indexes incrementally: only new or re-analysed items', async () => {
    expect((await indexCase(kase)).indexed).toBe(0);
    kase.setText(ids.doc, 'Nouvelle version sans Bahamas.', 'fr', undefined);
    kase.setAnalysis(ids.doc, 'test-2', { title: 'Rapport révisé' });
    expect((await indexCase(kase)).indexed).toBe(1);
    expect(idsOf('revise')).toEqual([ids.doc]);
    expect(idsOf('occulte')).toEqual([]);
  });
});
