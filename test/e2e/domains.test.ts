// The workbench's Domains view in a real browser, on the sample case after `tamis domains`:
// the look-alike table and timeline, a link to a carrying message, and that message's badge.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleDump } from '../../scripts/make-sample-dump.js';
import { tamis } from '../helpers/cli.js';
import { ensureWebBuilt, findOrInstallChromium, launchBrowser, serveCase } from './browser.js';

const chromiumPath = findOrInstallChromium();
if (!chromiumPath) console.warn('SKIPPED e2e Domains view: /usr/bin/chromium is missing and `apt-get install -y chromium` failed.');

const ROOT = resolve(import.meta.dirname, '..', '..');

describe.skipIf(!chromiumPath)('Domains view in a real browser', () => {
  let dir: string;
  let app: FastifyInstance;
  let origin: string;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const webRoot = await ensureWebBuilt(ROOT);
    dir = mkdtempSync(join(tmpdir(), 'tamis-e2e-domains-'));
    await makeSampleDump(join(dir, 'dump'));
    tamis(['ingest', 'dump', '--case', 'case', '--keys', 'keys.jsonl', '--quiet'], dir);
    const scan = tamis(['domains', '--case', 'case', '--protect', 'campaign.example', 'office.com'], dir);
    expect(scan.status, scan.stderr).toBe(0);
    ({ app, origin } = await serveCase(join(dir, 'case'), webRoot));
    browser = await launchBrowser(chromiumPath ?? '');
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the look-alikes with a timeline, and a message carrying one shows the badge', async () => {
    await page.goto(`${origin}/#/domains`);
    const table = page.getByTestId('lookalikes');
    await expect.poll(() => table.innerText()).toContain('campagin.example');
    expect(await table.innerText()).toContain('cаmpaign.example');
    expect(await table.innerText()).toContain('portal-office.fr');
    expect(await page.getByTestId('domain-timeline').locator('rect').count()).toBeGreaterThanOrEqual(7);
    await page.locator('[data-testid="lookalikes"] tr', { hasText: 'accounts-office.fr' }).locator('a').first().click();
    await expect.poll(() => page.getByTestId('lookalike-badge').innerText()).toContain('accounts-office.fr');
  });
});
