import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { axeProblems, focusShown, layoutProblems } from './console-checks.ts';
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

  it("edits a source (the API's errors next to the field), refreshes it and deletes it", async () => {
    const csv = path.join(tpchRoot, 'sf0.01', 'csv');
    await page.fill('#source-name', 'tcsv');
    await page.selectOption('#source-type', 'csv');
    await page.fill('#source-path', csv);
    await page.click('#source-save');
    const row = page.locator('#sources-table [data-source="tcsv"]');
    await expect.poll(() => row.locator('td.tables').textContent(), { timeout: 20_000 }).toBe('8 tables');
    await page.click('[aria-label="Edit tcsv"]');
    expect(await page.locator('#source-form h2').textContent()).toBe('Edit tcsv');
    expect(await page.locator('#source-name').isDisabled()).toBe(true);
    // A path the service cannot read: its error shows under the path.
    await page.fill('#source-path', path.join(csv, 'no-such.csv'));
    await page.click('#source-save');
    await expect
      .poll(() => page.locator('#source-path-error').textContent(), { timeout: 20_000 })
      .not.toBe('');
    expect(await page.locator('#source-path').getAttribute('aria-invalid')).toBe('true');
    // Options that are not a JSON object are stopped by the form.
    await page.fill('#source-path', path.join(csv, 'nation.csv'));
    await page.fill('#source-options', '{ "delimiter": ');
    await page.click('#source-save');
    expect(await page.locator('#source-options-error').textContent()).toContain('JSON object');
    await page.fill('#source-options', '');
    await page.click('#source-save');
    await page.locator('.toast', { hasText: 'Saved tcsv' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => row.locator('td.tables').textContent(), { timeout: 20_000 }).toBe('1 table');
    const edited = (await (await fetch(`${service!.url}/api/v1/sources/tcsv`)).json()) as {
      path: string;
      tables: { name: string }[];
    };
    expect(edited.path).toBe(path.join(csv, 'nation.csv'));
    expect(edited.tables.map((t) => t.name)).toEqual(['nation']);
    await page.click('[aria-label="Refresh tcsv"]');
    await page
      .locator('.toast', { hasText: 'tcsv: 0 added, 0 removed, 0 changed' })
      .waitFor({ timeout: 20_000 });
    // Deleting asks first: Escape keeps it, the dialog's Remove removes it.
    await page.click('[aria-label="Remove tcsv"]');
    const dialog = page.locator('[role=dialog]');
    await dialog.waitFor();
    await shot('sources-delete-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await row.count()).toBe(1);
    await page.click('[aria-label="Remove tcsv"]');
    await dialog.locator('button[data-dialog-submit]').click();
    await row.waitFor({ state: 'detached', timeout: 20_000 });
    expect((await fetch(`${service!.url}/api/v1/sources/tcsv`)).status).toBe(404);
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
    const columns = await page.locator('.grid-head [role=columnheader]:not(.rownum)').evaluateAll((cells) =>
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

  it('copies a cell, a row and a selection from the grid', async () => {
    const shown = await page
      .locator('.grid-row')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('[role=gridcell]')].map((c) => c.textContent!)),
      );
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
    const cell = (row: number, column: number) => page.locator(`[data-row="${row}"][data-col="${column}"]`);
    // A cell: its value (Ctrl+C).
    await cell(1, 3).click();
    await page.keyboard.press('Control+c');
    await expect.poll(clipboard).toBe(shown[1][3]);
    // A rectangle: Shift+click, then the Copy button.
    await cell(1, 1).click();
    await cell(3, 2).click({ modifiers: ['Shift'] });
    // The grid draws on the next animation frame.
    await expect.poll(() => page.locator('.grid [role=gridcell][aria-selected=true]').count()).toBe(6);
    await page.click('#copy-result');
    await expect.poll(clipboard).toBe([1, 2, 3].map((r) => `${shown[r][1]}\t${shown[r][2]}`).join('\n'));
    // Rows: a row number, then Shift and another.
    await page.locator('[data-rownum="2"]').click();
    await page.keyboard.press('Control+c');
    await expect.poll(clipboard).toBe(shown[2].join('\t'));
    await page.locator('[data-rownum="4"]').click({ modifiers: ['Shift'] });
    await page.keyboard.press('Control+c');
    await expect.poll(clipboard).toBe([2, 3, 4].map((r) => shown[r].join('\t')).join('\n'));
    await shot('sql-grid-selection');
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

  it('refreshes a source, creates a folder and deletes a view from the catalog tree', async () => {
    await page.locator('[data-key="source:tpq"]').hover();
    await page.click('[aria-label="Refresh tpq"]');
    await page
      .locator('.toast', { hasText: 'tpq: 0 added, 0 removed, 0 changed' })
      .first()
      .waitFor({ timeout: 20_000 });
    await page.locator('[data-key="space:analytics"]').hover();
    await page.click('[aria-label="New folder in analytics"]');
    await page.fill('#folder-name', 'marketing');
    await page.click('[role=dialog] button[data-dialog-submit]');
    await page.locator('[data-key="folder:analytics.marketing"]').waitFor({ timeout: 10_000 });
    // The same name again: the API's error shows next to the field, and the dialog stays.
    await page.locator('[data-key="space:analytics"]').hover();
    await page.click('[aria-label="New folder in analytics"]');
    await page.fill('#folder-name', 'marketing');
    await page.click('[role=dialog] button[data-dialog-submit]');
    await expect
      .poll(() => page.locator('#folder-name-error').textContent(), { timeout: 10_000 })
      .toMatch(/exists/i);
    await shot('tree-folder-error');
    await page.keyboard.press('Escape');
    await page.locator('[role=dialog]').waitFor({ state: 'detached' });
    const folders = (await (await fetch(`${service!.url}/api/v1/spaces/analytics`)).json()) as {
      folders: { path: string[] }[];
    };
    expect(folders.folders.map((f) => f.path)).toEqual([['analytics', 'marketing']]);
    // A view of its own, then deleted from its row.
    await fetch(`${service!.url}/api/v1/views`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: ['analytics', 'marketing', 'regions'], sql: 'SELECT * FROM tpq.region' }),
    });
    await page.click('[aria-label="Reload the catalog"]');
    await page.locator('[data-key="folder:analytics.marketing"]').click();
    const view = page.locator('[data-key="view:analytics.marketing.regions"]');
    await view.hover();
    await page.click('[aria-label="Delete view analytics.marketing.regions"]');
    await page.click('[role=dialog] button[data-dialog-submit]');
    await view.waitFor({ state: 'detached', timeout: 10_000 });
    expect((await fetch(`${service!.url}/api/v1/views/analytics/marketing/regions`)).status).toBe(404);
  });

  it('downloads CSV, Parquet and Arrow with the same bytes as the API', async () => {
    const href = (await page.locator('#job-link').getAttribute('href'))!;
    const jobId = href.split('/').pop()!;
    for (const [format, magic] of [
      ['csv', 'n_name'],
      ['parquet', 'PAR1'],
      ['arrow', ''],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click(`[data-download=${format}]`),
      ]);
      const saved = readFileSync((await download.path())!);
      const api = await fetch(`${service!.url}/api/v1/jobs/${jobId}/results?format=${format}`);
      expect(api.status).toBe(200);
      expect(saved.length, format).toBeGreaterThan(100);
      expect(saved.subarray(0, magic.length).toString(), format).toBe(magic);
      expect(saved.equals(Buffer.from(await api.arrayBuffer())), format).toBe(true);
    }
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
    // The grid renders on the scroll event, after this returns: until then the window the
    // frame loop left (about row 1,096,875) is in view, fully loaded.
    await expect
      .poll(() => page.locator('.grid-row .rownum').last().textContent(), { timeout: 15_000 })
      .toBe('1125000');
    await expect.poll(() => page.locator('.grid-row .cell.loading').count(), { timeout: 15_000 }).toBe(0);
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

  it(
    'creates a reflection from a dataset, sees it built, refreshes it and disables it',
    { timeout: 120_000 },
    async () => {
      interface ReflectionBody {
        name: string;
        status: string;
        enabled: boolean;
        materialization: { id: string; rows: number } | null;
      }
      const fromApi = async () => {
        const { reflections } = (await (await fetch(`${service!.url}/api/v1/reflections`)).json()) as {
          reflections: ReflectionBody[];
        };
        return reflections.find((r) => r.name === 'nation_names');
      };
      await page.click('nav a[href="/reflections"]');
      await page
        .locator('#reflection-dataset option[value="tpq.nation"]')
        .waitFor({ state: 'attached', timeout: 10_000 });
      const create = async () => {
        await page.selectOption('#reflection-dataset', 'tpq.nation');
        await page.selectOption('#reflection-type', 'RAW');
        await page.fill('#reflection-name', 'nation_names');
        await page.selectOption('[data-column="n_nationkey"]', 'display');
        await page.selectOption('[data-column="n_name"]', 'display');
        await page.click('#reflection-save');
      };
      await create();
      const row = page.locator('#reflections-table tr[data-reflection="nation_names"]');
      const status = row.locator('[data-status]');
      await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe('CAN_ACCELERATE');
      const built = await fromApi();
      expect(built?.materialization?.rows).toBe(25);
      await expect.poll(() => row.locator('td.num').textContent()).toContain('25 rows');
      // The same name again: the API's error shows next to the name.
      await create();
      await expect
        .poll(() => page.locator('#reflection-name-error').textContent(), { timeout: 20_000 })
        .toMatch(/EXISTS/);
      // Refresh now: a new materialization serves, and the status comes back to CAN_ACCELERATE.
      await page.click('[aria-label="Refresh nation_names now"]');
      await expect
        .poll(async () => (await fromApi())?.materialization?.id, { timeout: 60_000 })
        .not.toBe(built!.materialization!.id);
      await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('CAN_ACCELERATE');
      // An aggregation from the same form; a query it can serve reads it, which the job's page and the jobs list show.
      await page.selectOption('#reflection-dataset', 'tpq.nation');
      await page.selectOption('#reflection-type', 'AGGREGATION');
      await page.fill('#reflection-name', 'nations_by_region');
      await page.selectOption('[data-column="n_regionkey"]', 'dimension');
      await page.selectOption('[data-column="n_nationkey"]', 'measure');
      await page.click('#reflection-save');
      await expect
        .poll(() => page.locator('tr[data-reflection="nations_by_region"] [data-status]').textContent(), {
          timeout: 60_000,
        })
        .toBe('CAN_ACCELERATE');
      const sql =
        'SELECT n_regionkey, count(*) AS nations, sum(n_nationkey) AS keys FROM tpq.nation GROUP BY n_regionkey ORDER BY n_regionkey';
      await page.click('nav a[href="/"]');
      await runInNewTab(sql);
      await expect.poll(() => runState().textContent(), { timeout: 30_000 }).toBe('COMPLETED');
      await page.locator('.grid-row').first().waitFor();
      const shown = await page
        .locator('.grid-row')
        .evaluateAll((rows) =>
          rows.map((r) => [...r.querySelectorAll('[role=gridcell]')].map((c) => c.textContent!)),
        );
      expect(shown).toEqual((await oracle.query(sql)).rows.map((r) => r.map(String)));
      await page.click('#job-link');
      const chosen = page.locator('#job-reflections tr[data-reflection="nations_by_region"]');
      await chosen.waitFor({ timeout: 15_000 });
      expect(await chosen.getAttribute('data-relationship')).toBe('CHOSEN');
      expect(await page.locator('#job-acceleration').textContent()).toContain(
        'Accelerated: the plan reads nations_by_region',
      );
      await chosen.scrollIntoViewIfNeeded();
      await shot('job-reflections');
      const jobId = page.url().split('/').pop()!;
      await page.click('nav a[href="/jobs"]');
      await page.selectOption('#jobs-accelerated', 'yes');
      await expect
        .poll(
          () =>
            page
              .locator(`#jobs-table tr[data-job="${jobId}"] [data-accelerated]`)
              .getAttribute('data-accelerated'),
          {
            timeout: 20_000,
          },
        )
        .toBe('true');
      // (Once the filtered list is drawn: the one asked for before the filter may still have been showing.)
      await expect
        .poll(() => page.locator('#jobs-table [data-accelerated="false"]').count(), { timeout: 20_000 })
        .toBe(0);
      expect(await page.locator(`#jobs-table tr[data-job="${jobId}"]`).count()).toBe(1);
      await page.selectOption('#jobs-accelerated', '');
      await page.click('nav a[href="/reflections"]');

      // Disabled: the switch and the status say so, and so does the API.
      const enabled = page.locator('[aria-label="nation_names enabled"]');
      expect(await enabled.getAttribute('aria-checked')).toBe('true');
      await enabled.click();
      await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('DISABLED');
      expect(await enabled.getAttribute('aria-checked')).toBe('false');
      expect(await page.locator('[aria-label="Refresh nation_names now"]').isDisabled()).toBe(true);
      expect((await fromApi())?.enabled).toBe(false);
      await shot('reflections');
    },
  );

  it('goes through a whole flow by keyboard alone', { timeout: 90_000 }, async () => {
    await page.goto(`${service!.url}/`);
    await page.locator('.cm-content').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toContain('cm-content');
    const focused = () =>
      page.evaluate(() => {
        const e = document.activeElement as HTMLElement | null;
        return {
          key: e?.dataset.key ?? null,
          id: e?.id ?? '',
          text: e?.textContent?.trim() ?? '',
          role: e?.getAttribute('role') ?? '',
          href: e?.getAttribute('href') ?? '',
          tag: e?.tagName ?? '',
        };
      });
    /** Presses Tab (or Shift+Tab) until `reached`, checking at each stop that the focus shows. */
    const tabTo = async (reached: (f: Awaited<ReturnType<typeof focused>>) => boolean, back = false) => {
      const stops: string[] = [];
      for (let i = 0; i < 60; i++) {
        // Tab indents in the editor: Escape first leaves it (what its description says).
        if ((await focused()).role === 'textbox') await page.keyboard.press('Escape');
        await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
        // (CodeMirror marks its editor focused on the next frame.)
        // (Polled for the whole answer, so that a failure names what had the focus.)
        await expect.poll(() => focusShown(page), { timeout: 5000 }).toMatchObject({ shown: true });
        stops.push((await focusShown(page)).what);
        if (reached(await focused())) return;
      }
      throw new Error(`Tab never reached the element; it went through ${stops.join(', ')}`);
    };
    const arrowTo = async (key: string) => {
      for (let i = 0; i < 80 && (await focused()).key !== key; i++) await page.keyboard.press('ArrowDown');
      expect((await focused()).key).toBe(key);
    };
    const sql = 'SELECT n_name, n_regionkey FROM tpq.nation ORDER BY n_name';
    const expected = (await oracle.query(sql)).rows.map((r) => r.map(String));
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

    // A new tab (Escape, then Shift+Tab leaves the editor), a query typed and run with Ctrl+Enter.
    await tabTo((f) => f.id === 'new-tab', true);
    await page.keyboard.press('Enter');
    await page.keyboard.insertText(sql);
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => runState().textContent(), { timeout: 30_000 }).toBe('COMPLETED');

    // On to the grid: the first cell, then arrows, Shift+arrows, Shift+Space (rows) and Ctrl+C.
    await tabTo((f) => f.role === 'grid');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Control+c');
    await expect.poll(clipboard).toBe(expected[0][1]);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Control+c');
    await expect.poll(clipboard).toBe(`${expected[1][0]}\n${expected[2][0]}`);
    await page.keyboard.press('Shift+Space');
    await page.keyboard.press('Control+c');
    await expect.poll(clipboard).toBe(`${expected[1].join('\t')}\n${expected[2].join('\t')}`);
    // Up to the header, where Enter sorts: ascending, then descending.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowUp');
    const header = page.locator('.grid-head [role=columnheader]', { hasText: 'n_name' });
    await page.keyboard.press('Enter');
    await expect.poll(() => header.getAttribute('aria-sort'), { timeout: 20_000 }).toBe('ascending');
    await page.keyboard.press('Enter');
    await expect.poll(() => header.getAttribute('aria-sort'), { timeout: 20_000 }).toBe('descending');
    await expect
      .poll(() => page.locator('[data-row="0"][data-col="0"]').textContent(), { timeout: 20_000 })
      .toBe(expected[expected.length - 1][0]);

    // Save as view: a dialog Escape closes (the focus goes back), then saved with Enter.
    await tabTo((f) => f.text === 'Save as view', true);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused()).id).toBe('view-path');
    await page.keyboard.press('Escape');
    await page.locator('[role=dialog]').waitFor({ state: 'detached' });
    expect((await focused()).text).toBe('Save as view');
    await page.keyboard.press('Enter');
    await page.keyboard.type('analytics.keyboard_view');
    await page.keyboard.press('Enter');
    await page.locator('[role=dialog]').waitFor({ state: 'detached', timeout: 20_000 });

    // The catalog tree: one tab stop, arrows to a space, Space opens it, Tab to its buttons.
    await tabTo((f) => f.role === 'treeitem', true);
    await page.keyboard.press('Home');
    await arrowTo('space:analytics');
    if ((await page.locator('[data-key="space:analytics"]').getAttribute('aria-expanded')) === 'false')
      await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect((await focused()).text).toBe('');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'New folder in analytics',
    );
    await page.keyboard.press('Enter');
    await page.keyboard.type('by_keyboard');
    await page.keyboard.press('Enter');
    await page.locator('[data-key="folder:analytics.by_keyboard"]').waitFor({ timeout: 10_000 });
    await expect.poll(async () => (await focused()).key).toBe('folder:analytics.by_keyboard');
    // Delete on a view asks (the dialog starts on Cancel), Tab and Enter delete it.
    await arrowTo('view:analytics.keyboard_view');
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await focused()).text).toBe('Cancel');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page
      .locator('[data-key="view:analytics.keyboard_view"]')
      .waitFor({ state: 'detached', timeout: 10_000 });
    // The focus goes back to the view's parent; ← closes it, ← again goes to its parent, → opens it again.
    expect((await focused()).key).toBe('space:analytics');
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('[data-key="space:analytics"]').getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('ArrowLeft');
    expect((await focused()).key).toBe('section:spaces');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('[data-key="space:analytics"]').getAttribute('aria-expanded')).toBe('true');
    await shot('sql-keyboard-tree');

    // The navigation, then the jobs list, then a job, all with Enter.
    await tabTo((f) => f.href === '/jobs', true);
    await page.keyboard.press('Enter');
    await page.locator('#jobs-table tr[data-job]').first().waitFor({ timeout: 10_000 });
    await tabTo((f) => f.tag === 'TR' && f.text.includes('COMPLETED'));
    await page.keyboard.press('Enter');
    await page.locator('#job-sql').waitFor({ timeout: 10_000 });
    expect(page.url()).toMatch(/\/jobs\/[^/]+$/);
  });

  it('lays out each main page at 1024×768, 1280×800 and 1440×900 with no serious accessibility violation', async () => {
    const frame = ['nav.nav', 'header.topbar'];
    const pages: { name: string; open: () => Promise<void>; whole: string[]; across?: string[] }[] = [
      {
        name: 'sql',
        open: async () => {
          await page.click('nav a[href="/"]');
          await page.locator('.grid-row').first().waitFor({ timeout: 20_000 });
        },
        whole: [
          ...frame,
          '.catalog',
          '.tabs',
          '.editor-wrap',
          '.toolbar',
          '.results-head',
          '.results-body',
          '#run',
        ],
      },
      {
        name: 'sources',
        open: async () => {
          await page.click('nav a[href="/sources"]');
          await page.locator('#sources-table').waitFor();
        },
        whole: frame,
        across: ['#sources-table', '#source-form', '#source-save'],
      },
      {
        name: 'jobs',
        open: async () => {
          await page.click('nav a[href="/jobs"]');
          await page.locator('#jobs-table tr[data-job]').first().waitFor();
        },
        whole: [...frame, '.filters'],
        across: ['#jobs-table'],
      },
      {
        name: 'job',
        open: async () => {
          await page.locator('#jobs-table tr[data-job]', { hasText: 'GROUP BY n_regionkey' }).first().click();
          await page.locator('#profile-graph').waitFor({ timeout: 15_000 });
        },
        whole: [...frame, '.job-head'],
        across: ['.stats', '#job-sql', '#profile-graph'],
      },
      {
        name: 'reflections',
        open: async () => {
          await page.click('nav a[href="/reflections"]');
          await page.locator('.page .content').waitFor();
        },
        whole: frame,
        across: ['.page .content'],
      },
    ];
    const problems: string[] = [];
    for (const [width, height] of [
      [1280, 800],
      [1440, 900],
      [1024, 768],
    ]) {
      await page.setViewportSize({ width, height });
      for (const p of pages) {
        await p.open();
        // A frame for the layout to settle (the grid and the chart measure themselves).
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
        for (const problem of await layoutProblems(page, p.whole, p.across))
          problems.push(`${width}×${height} ${p.name}: ${problem}`);
        if (width === 1280)
          for (const problem of await axeProblems(page)) problems.push(`axe ${p.name}: ${problem}`);
        if (width !== 1280) await shot(`${p.name}-${width}x${height}`);
      }
    }
    // A dialog open over the SQL page.
    await page.setViewportSize({ width: 1280, height: 800 });
    await pages[0].open();
    await page.click('button:has-text("Save as view")');
    await page.locator('[role=dialog]').waitFor();
    for (const problem of await axeProblems(page)) problems.push(`axe dialog: ${problem}`);
    await shot('sql-save-view-dialog');
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
  });

  it('wrote no errors to the browser console, and failed no request but the bad ones it made', () => {
    expect(problems).toEqual([]);
    expect(failedRequests).toEqual([
      'POST /api/v1/sources 400',
      'PUT /api/v1/sources/tcsv 400',
      'POST /api/v1/folders 409',
      'POST /api/v1/reflections 409',
    ]);
  });
});
