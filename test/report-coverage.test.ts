// The publishable HTML report: coverage by sender domain × month, and how to re-check it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleDump } from '../scripts/make-sample-dump.js';
import { coverageOf, senderDomain, sendMonth } from '../src/report/coverage.js';
import { renderHtml, type CaseReport, type ReportItem } from '../src/report/index.js';
import { tamis } from './helpers/cli.js';

let dir: string;
let report: CaseReport;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tamis-coverage-'));
  await makeSampleDump(join(dir, 'dump'));
  const kase = join(dir, 'case');
  expect([0, 2]).toContain(tamis(['ingest', join(dir, 'dump'), '--keys', join(dir, 'keys.jsonl'), '--case', kase, '--quiet']).status);
  const r = tamis(['report', '--case', kase, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  report = JSON.parse(r.stdout) as CaseReport;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (domain: string, month: string) => coverageOf(report.items).find((c) => c.domain === domain && c.month === month);

describe('coverage table of the sample case', () => {
  it('counts every email once, in the column its verdict or signing state says', () => {
    const rows = coverageOf(report.items);
    const emails = report.items.filter((i) => i.kind === 'email');
    expect(rows.reduce((n, c) => n + c.total, 0)).toBe(emails.length);
    for (const c of rows) {
      expect(c.verified + c.tampered + c.suspicious + c.unsigned + c.unverifiable + c.otherSigned).toBe(c.total);
    }
    // Signed by agency.example, but the sample key archive has no key for it.
    expect(row('agency.example', '2017-04')).toMatchObject({ unverifiable: 1, total: 1 });
    // A personal address with no signature at all.
    expect(row('perso.example', '2017-04')).toMatchObject({ unsigned: 1, total: 1 });
    // Verifies only with a 512-bit key: suspicious, not verified.
    expect(row('weak.example', '2017-04')).toMatchObject({ suspicious: 1, verified: 0 });
    expect(row('mail.partner.example', '2017-04')).toMatchObject({ verified: 1, total: 1 });
    // The campaign's own mail, May 2017: the tampered copies and the mailing-list message are told apart.
    const may = row('campaign.example', '2017-05');
    const mayEmails = emails.filter((i) => senderDomain(i) === 'campaign.example' && sendMonth(i) === '2017-05');
    expect(may?.total).toBe(mayEmails.length);
    expect(may?.tampered).toBe(mayEmails.filter((i) => i.verdict === 'tampered').length);
    expect(may?.tampered).toBeGreaterThanOrEqual(3);
    // The list-modified message (ARC seal by lists.example): signed, key found, no proof either way.
    expect(may?.otherSigned).toBeGreaterThanOrEqual(1);
    expect(may?.unsigned).toBe(0);
  });

  it('renders the coverage table and the re-check section into the one self-contained HTML file', () => {
    const html = renderHtml(report);
    const table = /<table class="coverage">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    const agency = /<tr><td>agency\.example<\/td><td>2017-04<\/td>((?:<td[^>]*>\d+<\/td>)+)<\/tr>/.exec(table);
    const counts = [...(agency?.[1] ?? '').matchAll(/>(\d+)</g)].map((m) => Number(m[1]));
    expect(counts).toEqual([0, 0, 0, 0, 1, 0, 1]); // verified, tampered, suspicious, unsigned, unverifiable, other, total
    expect(html).toContain('How to re-check this report');
    expect(html).toContain('tamis export --bundle');
    expect(html).toContain('sha256sum -c MANIFEST.sha256');
    expect(html).toMatch(/SHA-256 in this report is the fingerprint of the original bytes/);
    // Still one file: no script, no external resource.
    expect(html).not.toMatch(/<script|<link |src=|url\(/i);
  });
});

describe('coverage edge cases', () => {
  const email = (id: number, metadata: ReportItem['metadata'], verdict: ReportItem['verdict'] = 'consistent'): ReportItem => ({
    id,
    sha256: String(id).padStart(64, '0'),
    kind: 'email',
    mediaType: 'message/rfc822',
    size: 10,
    occurrences: [],
    verdict,
    verdictReason: '',
    findings: [],
    metadata,
  });

  it('reads address objects, undated mail, ARC-only rows and hostile domains', () => {
    const hostile = '<img src=x onerror=alert(1)>.example';
    const items = [
      email(1, { from: { name: 'A', address: 'a@Example.ORG' }, date: '2017-03-31T23:30:00-02:00' }),
      // An ARC seal alone is not the sender's signature.
      email(2, { from: 'b@example.org', date: 'not a date', dkim: [{ kind: 'ARC i=1', d: 'lists.example', s: 'x', signatureOk: true }] }),
      email(3, { from: `x@${hostile}`, date: '2017-04-02T00:00:00Z', dkim: [{ kind: 'DKIM', d: 'h', s: 's', signatureOk: null }] }),
    ];
    const rows = coverageOf(items);
    // Months are UTC; an address that is not one lands under '(unknown)', never under a made-up domain.
    expect(rows).toEqual([
      expect.objectContaining({ domain: '(unknown)', month: '2017-04', unverifiable: 1 }),
      expect.objectContaining({ domain: 'example.org', month: '2017-04', unsigned: 1 }),
      expect.objectContaining({ domain: 'example.org', month: 'undated', unsigned: 1 }),
    ]);
    const html = renderHtml({
      tool: { name: 'tamis', version: '0' },
      generatedAt: '2017-01-01T00:00:00.000Z',
      case: { path: 'c' },
      summary: { items: 3, byVerdict: { verified: 0, tampered: 0, suspicious: 0, consistent: 3 }, byKind: { email: 3, document: 0, image: 0, archive: 0, other: 0 } },
      keys: [],
      items,
    });
    expect(html).not.toContain('<img src=x');
  });
});
