import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureCase, type FixtureIds } from '../server-fixture.js';
import { ensureWebBuilt, findOrInstallChromium, launchBrowser, serveCase } from './browser.js';

const chromiumPath = findOrInstallChromium();
if (!chromiumPath) {
  console.warn('SKIPPED e2e workbench tests: /usr/bin/chromium is missing and `apt-get install -y chromium` failed.');
}

const ROOT = resolve(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');

describe.skipIf(!chromiumPath)('web workbench in a real browser', () => {
  let dir: string;
  let app: FastifyInstance;
  let origin: string;
  let ids: FixtureIds;
  let browser: BrowserContext;
  let page: Page;
  const requested: string[] = [];
  const consoleLines: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    const webRoot = await ensureWebBuilt(ROOT);
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'tamis-e2e-'));
    const built = await buildFixtureCase(join(dir, 'case'));
    ids = built.ids;
    built.kase.close();
    ({ app, origin } = await serveCase(join(dir, 'case'), webRoot));
    browser = await launchBrowser(chromiumPath ?? '');
    browser.on('request', (r) => requested.push(r.url()));
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (m) => consoleLines.push(m.text()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const go = async (hash: string) => {
    await page.goto(`${origin}/${hash}`);
  };

  it('shows the overview with verdict counts, coverage and a clickable timeline', async () => {
    await go('#/');
    const counts = page.getByTestId('verdict-counts');
    await expect.poll(() => counts.innerText()).toContain('1');
    expect(await counts.innerText()).toMatch(/2\s*suspicious/);
    expect(await page.getByTestId('coverage').innerText()).toContain('en-marche.fr');
    expect(await page.getByTestId('top-findings').innerText()).toContain('dkim.body-hash');
    await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });
    await page.locator('.timeline a.bar', { hasText: '2017-04' }).click();
    await expect.poll(() => page.getByTestId('total').innerText()).toMatch(/^2\b/);
  });

  it('searches a known term, shows highlighted snippets and narrows by a facet', async () => {
    await go('#/search');
    await page.getByRole('searchbox').fill('elysee');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByTestId('total').innerText()).toMatch(/^2\b/);
    expect(await page.locator('.snippet mark').first().innerText()).toMatch(/Élysée/);
    await page.screenshot({ path: join(SHOTS, 'search.png'), fullPage: true });
    await page.locator('[data-facet="verdict"] a', { hasText: 'tampered' }).click();
    await expect.poll(() => page.getByTestId('total').innerText()).toMatch(/^1\b/);
    expect(await page.getByRole('searchbox').inputValue()).toBe('elysee verdict:tampered');
    expect(await page.locator('.hit').getAttribute('data-item')).toBe(String(ids.forged));
  });

  it('opens an item and reads its evidence, DKIM table and body', async () => {
    await page.locator('.hit-title').first().click();
    const evidence = page.getByTestId('evidence');
    await expect.poll(() => evidence.innerText()).toContain('dkim.body-hash');
    expect(await evidence.innerText()).toContain('body hash does not match');
    expect(await evidence.innerText()).toContain('xyz=');
    expect(await page.getByTestId('dkim').innerText()).toMatch(/en-marche\.fr[\s\S]*FAILED/);
    expect(await page.getByTestId('body').innerText()).toContain('950 000 euros');
    await page.screenshot({ path: join(SHOTS, 'item.png'), fullPage: true });
  });

  it('opens a side-by-side diff of the forged copy against the original', async () => {
    await page.locator('input[name="compare"]').fill(String(ids.elysee));
    await page.getByRole('button', { name: 'Compare' }).click();
    const diff = page.getByTestId('diff');
    await expect.poll(() => diff.locator('td.del').count()).toBe(1);
    expect(await diff.locator('td.add').innerText()).toBe('Le budget prévu est de 12 000 euros.');
    expect(await diff.locator('td.del').innerText()).toBe('Le budget prévu est de 950 000 euros, en liquide.');
    await page.screenshot({ path: join(SHOTS, 'compare.png'), fullPage: true });
  });

  it('tags an item and a note, and finds them after reload', async () => {
    await go(`#/item/${ids.reply}`);
    await page.locator('input[name="tag"]').fill('À vérifier');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await expect.poll(() => page.getByTestId('tags').innerText()).toContain('à vérifier');
    await page.locator('textarea[name="note"]').fill('Demander l’original à Bob.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toBe('Saved');
    await page.reload();
    await expect.poll(() => page.getByTestId('tags').innerText()).toContain('à vérifier');
    expect(await page.locator('textarea[name="note"]').inputValue()).toBe('Demander l’original à Bob.');
  });

  it('renders a hostile HTML email with no script run and no request leaving the page', async () => {
    requested.length = 0;
    consoleLines.length = 0;
    await go(`#/item/${ids.hostile}`);
    const frame = page.frameLocator('iframe.html-body');
    await expect.poll(() => frame.locator('#hostile-body').innerText()).toBe('Please pay the invoice.');
    // Give any handler, timer or pixel every chance to fire before looking.
    await page.waitForTimeout(1500);
    expect(dialogs).toEqual([]);
    expect(consoleLines.filter((l) => l.includes('TAMIS-XSS-MARKER'))).toEqual([]);
    expect(await page.title()).toBe('tamis');
    expect(await page.locator('body').innerText()).not.toContain('PWNED');
    const foreign = requested.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('about:'));
    expect(foreign).toEqual([]);
    expect(requested.some((u) => u.includes('evil.example'))).toBe(false);
    expect(requested).toContain(`${origin}/api/items/${ids.hostile}/html`);
    await page.screenshot({ path: join(SHOTS, 'item-hostile-html.png'), fullPage: true });
  });

  it('draws the correspondence graph and lists threads', async () => {
    await go('#/graph');
    await expect.poll(() => page.locator('svg.graph circle').count()).toBe(4);
    await page.screenshot({ path: join(SHOTS, 'graph.png'), fullPage: true });
    await go('#/threads');
    await page.getByTestId('threads').locator('a').first().click();
    await expect.poll(() => page.getByTestId('thread').locator('li').count()).toBe(3);
    await page.screenshot({ path: join(SHOTS, 'threads.png'), fullPage: true });
  });

  it('switches to French and remembers it', async () => {
    await go('#/');
    await page.getByTestId('lang').click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Vue d’ensemble du dossier');
    await page.reload();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Vue d’ensemble du dossier');
    expect(await page.getByTestId('verdict-counts').innerText()).toContain('altéré');
    await page.screenshot({ path: join(SHOTS, 'overview-fr.png'), fullPage: true });
    expect(consoleLines.filter((l) => /Content Security Policy|pageerror/.test(l))).toEqual([]);
  });
});
