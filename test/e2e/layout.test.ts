// Every view of the workbench on the sample dump, at the two common laptop and desktop widths:
// screenshots for a person to look at, and a check that no element overflows its column.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleDump } from '../../scripts/make-sample-dump.js';
import type { CaseReport } from '../../src/report/index.js';
import { tamis } from '../helpers/cli.js';
import { ensureWebBuilt, findOrInstallChromium, launchBrowser, serveCase } from './browser.js';

const chromiumPath = findOrInstallChromium();
if (!chromiumPath) console.warn('SKIPPED e2e layout tests: /usr/bin/chromium is missing and `apt-get install -y chromium` failed.');

const ROOT = resolve(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-artifacts', 'screenshots', 'layout');

/** Elements sticking out of the column (or page) that holds them, ignoring what scrolls on purpose. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const columns = [...document.querySelectorAll('main, .main-col, .side-col')];
    const scrolls = (el: Element): boolean => {
      for (let p: Element | null = el; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    for (const el of document.querySelectorAll('main *')) {
      if (scrolls(el) || el.closest('svg') && el.tagName !== 'svg') continue;
      const col = columns.filter((c) => c.contains(el) && c !== el).pop();
      if (!col) continue;
      // Text spilling out of a table cell overlaps its neighbour even when the cell itself fits.
      if ((el.tagName === 'TD' || el.tagName === 'TH') && el.scrollWidth > el.clientWidth + 1) {
        out.push(`${el.tagName.toLowerCase()} "${(el.textContent ?? '').slice(0, 40)}" spills out of its cell (${el.scrollWidth} > ${el.clientWidth})`);
      }
      const r = el.getBoundingClientRect();
      const c = col.getBoundingClientRect();
      if (r.width > 0 && r.right > c.right + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').slice(0, 40)}" ends at ${Math.round(r.right)} > ${Math.round(c.right)}`);
    }
    // Graph names stay inside the canvas.
    for (const text of document.querySelectorAll('svg text')) {
      const svg = text.closest('svg');
      if (!svg) continue;
      const r = text.getBoundingClientRect();
      const c = svg.getBoundingClientRect();
      if (r.right > c.right + 1 || r.left < c.left - 1) out.push(`graph label "${text.textContent ?? ''}" leaves the canvas`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
    return out.slice(0, 10);
  });
}

describe.skipIf(!chromiumPath)('workbench layout at 1366 and 1920 px', () => {
  let dir: string;
  let app: FastifyInstance;
  let origin: string;
  let browser: BrowserContext;
  let page: Page;
  let report: CaseReport;

  beforeAll(async () => {
    const webRoot = await ensureWebBuilt(ROOT);
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'tamis-layout-'));
    await makeSampleDump(join(dir, 'dump'));
    const caseDir = join(dir, 'case');
    const r = tamis(['ingest', join(dir, 'dump'), '--keys', join(dir, 'keys.jsonl'), '--case', caseDir, '--quiet']);
    expect([0, 2], r.stderr).toContain(r.status);
    report = JSON.parse(tamis(['report', '--case', caseDir, '--format', 'json']).stdout) as CaseReport;
    ({ app, origin } = await serveCase(caseDir, webRoot));
    browser = await launchBrowser(chromiumPath ?? '');
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the sample threads; each Thread link leads to its messages', async () => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(`${origin}/#/threads`);
    await expect.poll(() => page.getByTestId('threads').locator('li').count()).toBeGreaterThan(0);
    await page.getByTestId('threads').locator('a').first().click();
    await expect.poll(() => page.getByTestId('thread').locator('li').count()).toBeGreaterThan(1);
  }, 60_000);

  it('says "1 result", not "too many matches to rank", on a single hit', async () => {
    const tampered = report.items.filter((i) => i.verdict === 'tampered' && i.kind === 'email');
    await page.goto(`${origin}/#/search?q=${encodeURIComponent(`verdict:tampered kind:email`)}`);
    await expect.poll(() => page.getByTestId('total').innerText()).toBe(`${tampered.length} results`);
    const one = report.items.find((i) => i.kind === 'email' && typeof i.metadata['messageId'] === 'string');
    await page.goto(`${origin}/#/search?q=${encodeURIComponent(String(one?.metadata['subject'] ?? ''))}`);
    await page.goto(`${origin}/#/search?q=${encodeURIComponent('sha256:' + String(one?.sha256))}`);
    await page.goto(`${origin}/#/search?q=${encodeURIComponent('verdict:tampered date:2017-04-29')}`);
    const total = await page.getByTestId('total').innerText();
    if (/^1\b/.test(total)) expect(total).toBe('1 result');
    expect(await page.locator('main').innerText()).not.toContain('Too many matches');
  }, 60_000);

  it('an item whose key is missing says its signature was not checked; metadata is readable fields', async () => {
    // The consistent email of another domain, whose key the sample archive does not hold.
    const unchecked = report.items.find((i) => i.findings.some((f) => f.check === 'dkim.no-key'));
    expect(unchecked).toBeDefined();
    await page.goto(`${origin}/#/item/${unchecked?.id}`);
    await expect.poll(() => page.getByTestId('unchecked').innerText()).toMatch(/was not checked: no public key/);
    const meta = await page.getByTestId('metadata').innerText();
    expect(meta).not.toMatch(/\[\]|null|\{"/);
  }, 60_000);

  for (const width of [1366, 1920]) {
    it(`every view at ${width} px: screenshot, and nothing overflows its column`, async () => {
      await page.setViewportSize({ width, height: 1000 });
      const tampered = report.items.find((i) => i.verdict === 'tampered' && i.findings.some((f) => f.check === 'dkim.header-signature'));
      const withAttachment = report.items.find((i) => i.kind === 'email' && report.items.some((c) => c.occurrences.some((o) => o.parent === i.id)));
      const views: [string, string, string][] = [
        ['overview', '#/', 'verdict-counts'],
        ['search', '#/search?q=campaign', 'total'],
        ['item-tampered', `#/item/${tampered?.id}`, 'dkim'],
        ['item-attachment', `#/item/${withAttachment?.id}`, 'occurrences'],
        ['threads', '#/threads', 'threads'],
        ['graph', '#/graph', ''],
        ['compare', `#/compare?a=${tampered?.id}&b=${withAttachment?.id}`, ''],
        ['report', '#/report', 'report-page'],
      ];
      const problems: string[] = [];
      for (const [name, hash, testId] of views) {
        await page.goto(`${origin}/${hash}`);
        if (testId) await page.getByTestId(testId).first().waitFor();
        else await page.waitForLoadState('networkidle');
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
        problems.push(...(await overflowing(page)).map((p) => `${name}: ${p}`));
      }
      expect(problems).toEqual([]);
    }, 120_000);
  }

  it('the graph labels its counts', async () => {
    await page.goto(`${origin}/#/graph`);
    await expect.poll(() => page.locator('main').innerText()).toMatch(/\d+ emails · \d+ addresses · \d+ correspondences/);
  }, 60_000);

  it('the Report page offers the report in every format, the tags CSV and the bundle of a selection', async () => {
    await page.goto(`${origin}/#/report`);
    const links = await page.getByTestId('report-page').locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(expect.arrayContaining(['api/report?format=json&download=1', 'api/report?format=csv&download=1', 'api/report?format=md&download=1', 'api/tags.csv']));
    expect(links.some((h) => h?.startsWith('api/bundle?q='))).toBe(true);
    const frame = page.frameLocator('iframe.report-frame');
    await expect.poll(() => frame.locator('h1').innerText()).toBe('Authenticity report');
  }, 60_000);
});
