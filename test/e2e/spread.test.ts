// The Spread view in a real browser: empty state, then after `tamis spread --case` the volume curve
// with first posters, the network canvas (clicking the trio's node opens its posts and signals),
// the posts linking to a dump item, and the item page listing them back.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureCase, type FixtureIds } from '../server-fixture.js';
import { tamis } from '../helpers/cli.js';
import { MIN, T0, trioCampaign, v1Tweet } from '../helpers/spread-posts.js';
import { ensureWebBuilt, findOrInstallChromium, launchBrowser, serveCase } from './browser.js';

const chromiumPath = findOrInstallChromium();
if (!chromiumPath) console.warn('SKIPPED e2e spread tests: /usr/bin/chromium is missing and `apt-get install -y chromium` failed.');

const ROOT = resolve(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');

describe.skipIf(!chromiumPath)('Spread view in a real browser', () => {
  let dir: string;
  let app: FastifyInstance;
  let origin: string;
  let ids: FixtureIds;
  let browser: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const webRoot = await ensureWebBuilt(ROOT);
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'tamis-e2e-spread-'));
    const built = await buildFixtureCase(join(dir, 'case'));
    ids = built.ids;
    built.kase.close();
    ({ app, origin } = await serveCase(join(dir, 'case'), webRoot));
    browser = await launchBrowser(chromiumPath ?? '');
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says what would fill it before an analysis', async () => {
    await page.goto(`${origin}/#/spread`);
    await expect.poll(() => page.getByTestId('spread-empty').innerText()).toContain('tamis spread POSTS... --case DIR');
  });

  it('draws the curve, the network and the account panel, and links posts and items both ways', async () => {
    const leak = [v1Tweet(900001, 'leaker', T0 + 5 * MIN, 'Voici Rapport.docx #Leak'), v1Tweet(900002, 'relay', T0 + 6 * MIN, 'lisez rapport.docx #Leak')];
    writeFileSync(join(dir, 'posts.jsonl'), [...trioCampaign(), ...leak].join('\n') + '\n');
    const run = tamis(['spread', join(dir, 'posts.jsonl'), '--case', join(dir, 'case'), '--marker', '#Leak', '--kind', 'repost', '--quiet']);
    expect(run.status, run.stderr).toBe(0);
    await page.reload(); // same hash as before: a reload fetches the new analysis
    const marker = page.getByTestId('spread-marker');
    await expect.poll(() => marker.innerText()).toContain('#Leak');
    expect(await marker.innerText()).toMatch(/@leaker[\s\S]*@relay/);
    expect(await page.getByTestId('spread-volume').locator('rect').count()).toBe(2);
    expect(await page.getByTestId('spread-clusters').innerText()).toMatch(/@trio_a|@trio_b|@trio_c/);
    // One cluster of three on one circle: the first account sits at the circle's right (546, 240).
    await page.getByTestId('spread-network').click({ position: { x: 546, y: 240 } });
    const panel = page.getByTestId('spread-account');
    await expect.poll(() => panel.innerText()).toMatch(/@trio_[abc]/);
    expect(await panel.locator('li').count()).toBeGreaterThanOrEqual(8);
    expect(await page.getByTestId('spread-items').locator(`a[href="#/item/${ids.doc}"]`).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'spread.png'), fullPage: true });
    await page.goto(`${origin}/#/item/${ids.doc}`);
    const links = page.getByTestId('spread-links');
    await expect.poll(() => links.innerText()).toMatch(/leaker[\s\S]*relay/);
    expect(errors).toEqual([]);
  });
});
