import { describe, expect, it } from 'vitest';
import { parseQuery, QueryError, tokenize } from '../src/search/query.js';

describe('query tokenizer', () => {
  it('reads words, phrases, negations, fields, prefixes and OR', () => {
    const t = tokenize('macron "budget prévu" -offshore from:alice verdict:tampered camp* OR foo');
    expect(t.map((x) => [x.negated, x.field, x.value, x.phrase, x.prefix, x.or])).toEqual([
      [false, null, 'macron', false, false, false],
      [false, null, 'budget prévu', true, false, false],
      [true, null, 'offshore', false, false, false],
      [false, 'from', 'alice', false, false, false],
      [false, 'verdict', 'tampered', false, false, false],
      [false, null, 'camp', false, true, false],
      [false, null, 'OR', false, false, true],
      [false, null, 'foo', false, false, false],
    ]);
  });

  it('keeps an unknown field as an ordinary word and an unterminated phrase to the end', () => {
    expect(tokenize('re:meeting').map((x) => [x.field, x.value])).toEqual([[null, 're:meeting']]);
    expect(tokenize('"open phrase').map((x) => [x.value, x.phrase])).toEqual([['open phrase', true]]);
  });
});

describe('query parser', () => {
  it('quotes every word so FTS syntax in user text stays literal', () => {
    expect(parseQuery('NEAR(a b) AND x"y col:z').match).toBe('"NEAR(a" AND "b)" AND "AND" AND "x""y" AND "col:z"');
  });

  it('binds OR tighter than the implicit AND', () => {
    expect(parseQuery('budget macron OR ferrand').match).toBe('"budget" AND ("macron" OR "ferrand")');
  });

  it('puts negated terms in a separate exclusion expression', () => {
    const q = parseQuery('budget -offshore -"compte caché"');
    expect(q.match).toBe('"budget"');
    expect(q.exclude).toBe('"offshore" OR "compte caché"');
  });

  it('maps from: and to: to FTS column filters, with prefixes', () => {
    expect(parseQuery('from:alice to:"Bob Durand" subject:réun*').match).toBe(
      'sender : "alice" AND recipients : "Bob Durand" AND subject : "réun" *',
    );
  });

  it('translates filters into parameterised SQL, never concatenating user text', () => {
    const q = parseQuery("domain:en-marche.fr check:dkim has:attachment tag:\"x'); DROP TABLE items;--\"");
    expect(q.match).toBeNull();
    const sql = q.where.map((w) => w.sql).join(' ');
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain('en-marche');
    expect(q.where.flatMap((w) => w.params)).toEqual(['en-marche.fr', '%.en-marche.fr', 'dkim', 'dkim.', 'dkim/', "x'); drop table items;--"]);
  });

  it('treats repeated verdict: values as alternatives and negated filters as NOT', () => {
    const q = parseQuery('verdict:tampered verdict:suspicious -kind:document');
    expect(q.where.map((w) => w.sql)).toEqual(['NOT (m.kind = ?)', '(m.verdict = ? OR m.verdict = ?)']);
    expect(q.where.flatMap((w) => w.params)).toEqual(['document', 'tampered', 'suspicious']);
  });

  it('reads date ranges at year, month and day precision', () => {
    expect(parseQuery('date:2017-03..2017-04').where[0]).toEqual({ sql: 'm.date >= ? AND m.date < ?', params: ['2017-03', '2017-05'] });
    expect(parseQuery('date:2017-12').where[0]?.params).toEqual(['2017-12', '2018-01']);
    expect(parseQuery('date:2016').where[0]?.params).toEqual(['2016', '2017']);
    expect(parseQuery('date:2017-02-28').where[0]?.params).toEqual(['2017-02-28', '2017-03-01']);
    expect(parseQuery('date:..2017-04').where[0]).toEqual({ sql: 'm.date < ?', params: ['2017-05'] });
    expect(parseQuery('date:2017-03..').where[0]).toEqual({ sql: 'm.date >= ?', params: ['2017-03'] });
  });

  it('rejects what it cannot mean, with a message saying how to write it', () => {
    expect(() => parseQuery('verdict:fake')).toThrow(/Unknown verdict "fake". Use one of: verified/);
    expect(() => parseQuery('kind:pdf')).toThrow(QueryError);
    expect(() => parseQuery('date:March')).toThrow(/date:2017-03/);
    expect(() => parseQuery('date:2017-13')).toThrow(/impossible month/);
    expect(() => parseQuery('has:wings')).toThrow(/has:attachment/);
    expect(() => parseQuery('OR budget')).toThrow(/cannot start with OR/);
    expect(() => parseQuery('budget OR')).toThrow(/cannot end with OR/);
    expect(() => parseQuery('a OR verdict:verified')).toThrow(/not filters/);
  });

  it('drops terms with no letter or digit instead of sending an empty phrase', () => {
    expect(parseQuery('- -- *** "" budget').match).toBe('"budget"');
  });
});
