import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { repoRoot, startTributary, tpchRoot, type TributaryProcess } from './harness.ts';

/**
 * The web console, driven through Debian's chromium (playwright-core, no browser download):
 * register a source, browse it, run a query and check the grid against DuckDB, see a SQL
 * error underlined, cancel a long query, open a job's profile, draw a chart, download CSV,
 * scroll a million rows. Screenshots of each main page go to test-output/console/.
 */
const CHROMIUM = process.env.TRIBUTARY_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = path.join(repoRoot, 'test-output', 'console');
const PARQUET = path.join(tpchRoot, 'sf0.01', 'parquet');

const GRID_QUERY = `SELECT n_regionkey, count(*) AS nations, sum(n_nationkey) AS key_sum, min(n_name) AS first_name
FROM tpq.nation GROUP BY n_regionkey ORDER BY n_regionkey`;

describe('the web console', () => {
  let service: TributaryProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let oracle: DuckDbOracle;
  const problems: string[] = [];
  const failedRequests: string[] = [];

  beforeAll(async () => {
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    [service, browser, oracle] = await Promise.all([
      startTributary({ executors: 1 }),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] }),
      DuckDbOracle.open([{ schema: 'tpq', format: 'parquet', folder: PARQUET }]),
    ]);
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: service.url });
    page = await context.newPage();
    // Chrome logs each 4xx answer as an error: those are checked by their requests instead (failedRequests).
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        problems.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400)
        failedRequests.push(
          `${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`,
        );
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    oracle?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

  /** Types SQL into a new editor tab and runs it with Ctrl+Enter. */
  const runInNewTab = async (sql: string) => {
    await page.click('#new-tab');
    await page.click('.cm-content');
    await page.keyboard.insertText(sql);
    await page.keyboard.press('Control+Enter');
  };

  const runState = () => page.locator('#run-state');

  it('serves the built console with cache headers', async () => {
    const index = await fetch(`${service!.url}/jobs`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${service!.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${service!.url}/assets/nope.js`)).status).toBe(404);
  });

  it('registers a source through the form, showing the API error next to the field', async () => {
    await page.goto(`${service!.url}/sources`);
    await page.fill('#source-name', 'tpq');
    await page.selectOption('#source-type', 'parquet');
    await page.fill('#source-path', path.join(PARQUET, 'no-such-folder'));
    await page.click('#source-save');
    await expect
      .poll(() => page.locator('#source-path-error').textContent(), { timeout: 20_000 })
      .not.toBe('');
    await page.fill('#source-path', PARQUET);
    await page.click('#source-save');
    await page.locator('#sources-table [data-source="tpq"]').waitFor();
    expect(
      await page.locator('#sources-table [data-source="tpq"] td.tables').getAttribute('title'),
    ).toContain('lineitem');
    await page.click('[aria-label="Refresh tpq"]');
    await page
      .locator('.toast', { hasText: 'tpq: 0 added, 0 removed, 0 changed' })
      .waitFor({ timeout: 20_000 });
    await shot('sources');
  });

  it('browses the source: tables, then columns with their types', async () => {
    await page.click('nav a[href="/"]');
    await page.locator('[data-key="source:tpq"]').click();
    await page.locator('[data-key="table:tpq.nation"]').click();
    const column = page.locator('[data-key="table:tpq.nation/n_name"]');
    await column.waitFor();
    expect(await column.textContent()).toMatch(/n_name\s*VARCHAR/);
    // A table's preview runs its first rows in a new tab.
    await page.locator('[data-key="table:tpq.region"]').hover();
    await page.click('[data-preview="tpq.region"]');
    await expect.poll(() => page.locator('#run-rows').textContent(), { timeout: 30_000 }).toBe('5 rows');
  });

  it('runs a query and shows the values DuckDB gives, with the column types', async () => {
    await runInNewTab(GRID_QUERY);
    await expect.poll(() => runState().textContent(), { timeout: 30_000 }).toBe('COMPLETED');
    await page.locator('.grid-row').first().waitFor();
    const columns = await page.locator('.grid-head [role=columnheader]').evaluateAll((cells) =>
      cells.map((c) => ({
        name: c.querySelector('.cname')!.textContent!,
        type: c.querySelector('.ctype')!.textContent!,
      })),
    );
    const texts = await page
      .locator('.grid-row')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('[role=gridcell]')].map((c) => c.textContent!)),
      );
    const exactAsText = /^(BIGINT|HUGEINT|DECIMAL)/;
    const rows = texts.map((row) =>
      row.map((text, i) =>
        text === 'NULL'
          ? null
          : /INT|DOUBLE|FLOAT|REAL/.test(columns[i].type) && !exactAsText.test(columns[i].type)
            ? Number(text)
            : text,
      ),
    );
    const expected = await oracle.query(GRID_QUERY);
    expect(rows.length).toBe(expected.rows.length);
    expect(compareResults({ columns, rows }, expected, { ordered: true })).toEqual([]);
    await shot('sql-results');
  });

  it('completes table names from the catalog and functions from the service', async () => {
    await page.click('#new-tab');
    await page.click('.cm-content');
    await page.keyboard.type('SELECT * FROM tpq.nat');
    const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'nation' });
    await option.first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    await page.keyboard.type(' WHERE regexp_ma');
    await page
      .locator('.cm-tooltip-autocomplete li', { hasText: 'regexp_matches' })
      .first()
      .waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
  });

  it('underlines a SQL error in the editor with its message and "did you mean"', async () => {
    await runInNewTab('SELECT n_nationkey,\n       n_nam\nFROM tpq.nation');
    const underline = page.locator('.cm-sql-error');
    await underline.waitFor({ timeout: 30_000 });
    expect(await underline.textContent()).toBe('n_nam');
    const box = page.locator('#sql-error');
    expect(await box.textContent()).toContain('line 2, column 8');
    await page.locator('#sql-error .suggest button', { hasText: 'n_name' }).click();
    expect(await page.locator('.cm-content').textContent()).toContain('n_name');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => runState().textContent(), { timeout: 30_000 }).toBe('COMPLETED');
    // The same error again, for the screenshot.
    await runInNewTab('SELECT n_nationkey, n_nam FROM tpq.nation');
    await underline.waitFor({ timeout: 30_000 });
    await shot('sql-error');
  });

  it('draws a chart of the result', async () => {
    await runInNewTab('SELECT n_name, n_nationkey * 10 AS score FROM tpq.nation ORDER BY n_nationkey');
    await expect.poll(() => runState().textContent(), { timeout: 30_000 }).toBe('COMPLETED');
    await page.click('[data-view=chart]');
    const bars = page.locator('[data-testid=chart] svg rect');
    await expect.poll(() => bars.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(25);
    await shot('sql-chart');
    await page.click('[data-view=grid]');
    // Sorting in the grid: a click sorts up, another down.
    const header = page.locator('.grid-head [role=columnheader]', { hasText: 'score' });
    await header.click();
    await header.click();
    await expect.poll(() => header.getAttribute('aria-sort'), { timeout: 20_000 }).toBe('descending');
    await expect
      .poll(() => page.locator('.grid-row').first().locator('[role=gridcell]').nth(1).textContent(), {
        timeout: 15_000,
      })
      .toBe('240');
    await header.click();
    await expect
      .poll(() => page.locator('.grid-row').first().locator('[role=gridcell]').nth(1).textContent(), {
        timeout: 15_000,
      })
      .toBe('0');
  });

  it("saves the editor's query as a view, which the catalog tree then shows", async () => {
    const space = await fetch(`${service!.url}/api/v1/spaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'analytics' }),
    });
    expect(space.status).toBe(201);
    await page.click('button:has-text("Save as view")');
    await page.fill('#view-path', 'analytics.nation_scores');
    await page.click('button:has-text("Save view")');
    await page.locator('[data-key="space:analytics"]').click();
    await page.locator('[data-key="view:analytics.nation_scores"]').waitFor({ timeout: 10_000 });
  });

  it('downloads CSV with the same bytes as the API', async () => {
    const href = (await page.locator('#job-link').getAttribute('href'))!;
    const jobId = href.split('/').pop()!;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=csv]')]);
    const saved = readFileSync((await download.path())!);
    const api = await fetch(`${service!.url}/api/v1/jobs/${jobId}/results?format=csv`);
    expect(api.status).toBe(200);
    expect(saved.length).toBeGreaterThan(100);
    expect(saved.equals(Buffer.from(await api.arrayBuffer()))).toBe(true);
  });

  it('scrolls a million rows, holding only the pages in view', { timeout: 180_000 }, async () => {
    await runInNewTab(
      'SELECT o_orderkey, o_orderdate, n_name, r_regionkey FROM tpq.orders, tpq.nation, tpq.region WHERE r_regionkey < 3',
    );
    await expect
      .poll(() => page.locator('#run-rows').textContent(), { timeout: 150_000 })
      .toBe('1,125,000 rows');
    const grid = page.locator('.grid');
    for (const fraction of [0.5, 0.999, 1]) {
      await grid.evaluate((g, f) => (g.scrollTop = (g.scrollHeight - g.clientHeight) * f), fraction);
      await expect.poll(() => page.locator('.grid-row .cell.loading').count(), { timeout: 15_000 }).toBe(0);
    }
    // Rendering a window of rows after a jump, measured in the page: what one scroll frame costs.
    const frameMs = await grid.evaluate(async (g) => {
      // (This runs in the page: the browser's requestAnimationFrame, which the Node types do not declare.)
      const frame = (globalThis as unknown as { requestAnimationFrame: (next: () => void) => number })
        .requestAnimationFrame;
      const times: number[] = [];
      for (let i = 0; i < 40; i++) {
        g.scrollTop = (g.scrollHeight - g.clientHeight) * (i / 40);
        const t0 = performance.now();
        await new Promise((r) => frame(() => r(null)));
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
    });
    console.log(`console grid: median frame ${frameMs.toFixed(1)} ms while scrolling 1,125,000 rows`);
    expect(frameMs).toBeLessThan(100);
    await grid.evaluate((g) => (g.scrollTop = g.scrollHeight));
    await expect.poll(() => page.locator('.grid-row .cell.loading').count(), { timeout: 15_000 }).toBe(0);
    const last = await page.locator('.grid-row .rownum').last().textContent();
    expect(last).toBe('1125000');
    expect(await page.locator('.grid-row').count()).toBeLessThan(80);
    await shot('sql-million-rows');
  });

  it("shows a job's profile as a graph of stages and operators", async () => {
    await page.click('[data-view=history]');
    await page.locator('.history-item').first().waitFor();
    await shot('sql-history');
    await page.click('[data-view=grid]');
    await page.click('#job-link');
    await page.locator('#profile-graph .fragment').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('#profile-graph .op[data-operator]').count()).toBeGreaterThan(1);
    expect(await page.locator('#job-reflections').textContent()).toContain('No reflections');
    await shot('job-profile');
    await page.click('nav a[href="/jobs"]');
    await page.locator('#jobs-table tr[data-job]').first().waitFor();
    await expect
      .poll(() => page.locator('#jobs-table tr[data-job]').count(), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(5);
    await page.selectOption('#jobs-state', 'FAILED');
    await expect
      .poll(() => page.locator('#jobs-table tr[data-job]', { hasText: 'n_nam' }).count(), { timeout: 20_000 })
      .toBe(2);
    expect(await page.locator('#jobs-table tr[data-job]', { hasText: 'COMPLETED' }).count()).toBe(0);
    await page.selectOption('#jobs-state', '');
    await expect
      .poll(() => page.locator('#jobs-table tr[data-job]').count(), { timeout: 20_000 })
      .toBeGreaterThan(2);
    await shot('jobs');
    await page.click('nav a[href="/reflections"]');
    await shot('reflections');
    await page.click('nav a[href="/"]');
  });

  it('cancels a long query', async () => {
    await runInNewTab(
      'SELECT count(*) FROM tpq.lineitem a, tpq.lineitem b WHERE a.l_quantity + b.l_quantity < 0',
    );
    await expect.poll(() => runState().textContent(), { timeout: 30_000 }).toBe('RUNNING');
    await page.locator('.progress[role=progressbar]').waitFor();
    await shot('sql-running');
    // The job's page follows it live too; the workspace keeps running it meanwhile.
    await page.click('#job-link');
    await page.locator('#job-progress').waitFor({ timeout: 15_000 });
    await shot('job-running');
    await page.goBack();
    await page.click('#cancel');
    await expect.poll(() => runState().textContent(), { timeout: 30_000 }).toBe('CANCELED');
    await page.click('nav a[href="/jobs"]');
    await page.selectOption('#jobs-state', 'CANCELED');
    await expect.poll(() => page.locator('#jobs-table tr[data-job]').count(), { timeout: 20_000 }).toBe(1);
  });

  it('wrote no errors to the browser console, and failed no request but the bad source', () => {
    expect(problems).toEqual([]);
    expect(failedRequests).toEqual(['POST /api/v1/sources 400']);
  });
});
