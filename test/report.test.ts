import { describe, expect, it } from 'vitest';
import { renderCsv, renderHtml, renderJson, renderMarkdown, renderShow, renderSummaryTable, type CaseReport, type ReportItem } from '../src/report/index.js';

const XSS = '<script>alert("pwned")</script>';

function hostileReport(): CaseReport {
  const email: ReportItem = {
    id: 2,
    sha256: 'a'.repeat(64),
    kind: 'email',
    mediaType: 'message/rfc822',
    size: 1234,
    occurrences: [
      { path: 'dump/inbox/<img src=x onerror=alert(1)>.eml', parent: null },
      { path: 'dump/z.mbox!3', parent: 7 },
    ],
    verdict: 'tampered',
    verdictReason: `Proof of alteration: body hash mismatch ${XSS}`,
    findings: [
      {
        check: 'dkim.body-hash',
        severity: 'critical',
        message: `Body hash mismatch for d=campaign.example ${XSS}`,
        evidence: { expected: 'bh1', computed: 'bh2', headers: ['from', XSS], zeta: { nested: '</pre><script>x()</script>' } },
        proof: 'disproves',
      },
      { check: 'received.order', severity: 'info', message: 'Received headers in order', evidence: {} },
    ],
    metadata: {
      subject: `=HYPERLINK("http://evil.example","click") ${XSS}`,
      from: { name: 'Alice "A" <x>', address: 'alice@campaign.example' },
      to: [{ name: '', address: 'bob@campaign.example' }],
      date: '2017-04-28T10:00:00.000Z',
      messageId: '<m1@campaign.example>',
      dkim: [
        {
          d: 'campaign.example',
          s: `s2017${XSS}`,
          algorithm: 'rsa-sha256',
          canonicalization: 'relaxed/relaxed',
          bodyHashOk: false,
          signatureOk: true,
          keyBits: 2048,
          keySource: 'archive:keys.jsonl',
        },
      ],
    },
  };
  const doc: ReportItem = {
    id: 1,
    sha256: 'b'.repeat(64),
    kind: 'document',
    mediaType: 'text/csv',
    size: 10,
    occurrences: [{ path: '-cmd|calc!A1,"quoted"\nnext', parent: null }],
    verdict: 'verified',
    verdictReason: '+inherited from #2',
    findings: [],
    metadata: { '@creator': '@SUM(1+1)' },
  };
  const weird: ReportItem = {
    id: 3,
    sha256: 'c'.repeat(64),
    kind: 'other',
    mediaType: 'application/octet-stream',
    size: 0,
    occurrences: [{ path: 'dump/\u001b[31mred\u001b[0m.bin', parent: null }],
    verdict: 'suspicious',
    verdictReason: 'Red flags without proof: `code` | pipe ** bold',
    findings: [{ check: 'x.y', severity: 'warning', message: 'fence ``` inside', evidence: { text: '```\n# heading' } }],
    metadata: {},
  };
  return {
    tool: { name: 'tamis', version: '0.1.0' },
    generatedAt: '2024-01-02T03:04:05.000Z',
    case: { path: `/cases/${XSS}`, cutoff: '2017-05-05', orgDomains: ['campaign.example'] },
    summary: {
      items: 3,
      byVerdict: { verified: 1, tampered: 1, suspicious: 1, consistent: 0 },
      byKind: { email: 1, document: 1, image: 0, archive: 0, other: 1 },
    },
    keys: [{ domain: 'campaign.example', selector: `s2017${XSS}`, source: 'archive', firstSeenAt: '2017-01-01', bits: 2048, algorithm: 'rsa' }],
    // Deliberately out of id order: renderers must not depend on the input order.
    items: [email, doc, weird],
  };
}

describe('renderHtml', () => {
  const html = renderHtml(hostileReport());

  it('escapes every string from the dump: no markup from data survives', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('</pre><script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('is self-contained: no remote loads, no script element, a CSP that forbids them', () => {
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('shows summary, methodology, keys, and items with tampered and suspicious first', () => {
    expect(html).toContain('How verdicts are decided');
    expect(html).toContain('Keys used');
    const order = ['id="item-2"', 'id="item-3"', 'id="item-1"'].map((s) => html.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(html).toContain('a'.repeat(64));
    expect(html).toContain('<td>2048</td>');
    expect(html).toContain('<span class="bad">NO</span>'); // failed body hash in the DKIM table
    expect(html).toContain('proof of alteration');
  });

  it('is deterministic', () => {
    expect(renderHtml(hostileReport())).toBe(html);
  });
});

/** Minimal RFC 4180 parser for the test, so quoting is checked by reading the CSV back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('renderCsv', () => {
  const csv = renderCsv(hostileReport());
  const rows = parseCsv(csv);

  it('has a header and one row per item, by id, that reads back intact', () => {
    expect(rows[0]?.[0]).toBe('id');
    expect(rows.map((r) => r[0])).toEqual(['id', '1', '2', '3']);
    expect(rows.every((r) => r.length === rows[0]?.length)).toBe(true);
    expect(rows[1]?.[7]).toBe(`'-cmd|calc!A1,"quoted"\nnext`);
    expect(rows[2]?.[8]).toBe('2');
    expect(rows[2]?.[9]).toBe('Alice "A" <x> <alice@campaign.example>');
    expect(rows[2]?.[12]).toBe('dkim.body-hash received.order');
  });

  it('neutralises cells a spreadsheet would evaluate as formulas', () => {
    expect(rows[2]?.[10]?.startsWith(`'=HYPERLINK(`)).toBe(true);
    expect(rows[1]?.[6]).toBe("'+inherited from #2");
    for (const r of rows.slice(1)) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('is deterministic', () => {
    expect(renderCsv(hostileReport())).toBe(csv);
  });
});

describe('renderJson', () => {
  const json = renderJson(hostileReport());

  it('follows the contract key order with 2-space indent and items by id', () => {
    const parsed = JSON.parse(json) as CaseReport;
    expect(Object.keys(parsed)).toEqual(['tool', 'generatedAt', 'case', 'summary', 'keys', 'items']);
    expect(parsed.items.map((i) => i.id)).toEqual([1, 2, 3]);
    expect(Object.keys(parsed.items[0] ?? {})).toEqual([
      'id', 'sha256', 'kind', 'mediaType', 'size', 'occurrences', 'verdict', 'verdictReason', 'findings', 'metadata',
    ]);
    expect(json.split('\n')[1]).toBe('  "tool": {');
    expect(parsed.items[1]?.findings[0]?.evidence['headers']).toEqual(['from', XSS]);
  });

  it('does not depend on key insertion order of evidence and metadata', () => {
    const r = hostileReport();
    const it2 = r.items[0];
    if (!it2) throw new Error('fixture');
    it2.metadata = Object.fromEntries(Object.entries(it2.metadata).reverse());
    expect(renderJson(r)).toBe(json);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(hostileReport());

  it('has the sections and escapes markup from the dump', () => {
    for (const h of ['# Authenticity report', '## Summary', '## How verdicts are decided', '## Keys used', '## Items']) {
      expect(md).toContain(`\n${h}\n`.replace(/^\n# /, '# '));
    }
    // Outside fenced code blocks (which Markdown renders literally) no raw markup remains.
    const outsideFences = md.replace(/^ *(`{3,})json\n[\s\S]*?^ *\1$/gm, '');
    expect(outsideFences).not.toBe(md);
    expect(outsideFences).not.toMatch(/(^|[^\\])<[a-z/!]/im); // every < is backslash-escaped
    expect(outsideFences).toContain('\\<script\\>');
    expect(md.indexOf('### #2 TAMPERED')).toBeLessThan(md.indexOf('### #3 SUSPICIOUS'));
    expect(md.indexOf('### #3 SUSPICIOUS')).toBeLessThan(md.indexOf('### #1 VERIFIED'));
    // A pipe in data must not split a table cell; a fence in evidence must not close the block.
    expect(md).toContain('\\| pipe');
    expect(md).toContain('````json');
    expect(renderMarkdown(hostileReport())).toBe(md);
  });
});

describe('terminal renderers', () => {
  it('renderSummaryTable counts verdict × kind with totals, aligned', () => {
    const t = renderSummaryTable(hostileReport());
    const lines = t.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^verdict\s+email\s+document\s+image\s+archive\s+other\s+total$/);
    expect(lines.find((l) => l.startsWith('tampered'))).toMatch(/^tampered\s+1\s+0\s+0\s+0\s+0\s+1$/);
    expect(lines.at(-1)).toMatch(/^total\s+1\s+1\s+0\s+0\s+1\s+3$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('renderShow prints one item with evidence and neutralises terminal escapes', () => {
    const r = hostileReport();
    const email = r.items.find((i) => i.id === 2);
    const weird = r.items.find((i) => i.id === 3);
    if (!email || !weird) throw new Error('fixture');
    const text = renderShow(email);
    expect(text).toContain('Item #2  TAMPERED');
    expect(text).toContain('CRITICAL dkim.body-hash [proof of alteration]');
    expect(text).toContain('computed: bh2');
    expect(text).toContain('campaign.example');
    expect(text).toMatch(/relaxed\/relaxed\s+NO\s+yes\s+2048/);
    const w = renderShow(weird);
    expect(w).not.toContain('\u001b');
    expect(w).toContain('\\x1b[31mred');
  });
});
