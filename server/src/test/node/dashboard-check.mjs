// Loads the dashboard in Debian's headless Chromium (driven by playwright-core; no browser is
// downloaded), uses it as a person would, and prints what the page shows as JSON; saves a
// screenshot. The Java side (DashboardTest) checks the report against the Java API.
// Usage: node dashboard-check.mjs <url> <api-key> <chromium> <screenshot.png>
import { chromium } from 'playwright-core';

const [url, key, executablePath, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const report = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  const texts = (selector) => page.$$eval(selector, (cells) => cells.map((c) => c.textContent));
  const cleared = (selector) => page.evaluate((s) => document.querySelector(s).replaceChildren(), selector);

  await page.goto(`${url}/dashboard`);
  await page.waitForSelector('#status.error');
  report.withoutKey = await page.textContent('#status');

  await page.fill('#api-key', key);
  await page.click('#key-form button');
  await page.waitForSelector('#collections tbody tr');
  report.collections = await page.$$eval('#collections tbody tr', (rows) => rows.map((r) => r.dataset.name));
  report.pointsCounts = await texts('#collections tbody tr td:nth-child(2)');

  await cleared('#points tbody');
  await page.click('#collections tbody tr[data-name="docs"]');
  await page.waitForSelector('#points tbody tr');
  report.browsed = await texts('#points tbody tr td:first-child');

  await cleared('#points tbody');
  await page.fill('#browse-filter', '{"must":[{"key":"city","match":{"value":"Paris"}}]}');
  await page.click('#browse-form button[type=submit]');
  await page.waitForSelector('#points tbody tr');
  report.filtered = await texts('#points tbody tr td:first-child');

  await page.selectOption('#search-mode', 'id');
  await page.fill('#search-id', '3');
  await page.click('#search-form button');
  await page.waitForSelector('#hits tbody tr.hit');
  report.idHits = await texts('#hits tbody tr.hit td:nth-child(2)');

  await cleared('#hits tbody');
  await page.selectOption('#search-mode', 'hybrid');
  await page.fill('#search-text', 'supersonic flow');
  await page.click('#search-form button');
  await page.waitForSelector('#hits tbody tr.hit');
  report.hybridHits = await texts('#hits tbody tr.hit td:nth-child(2)');
  report.explainedHits = await page.$$eval('#hits tbody tr.hit .bars', (b) => b.length);
  report.termBars = await texts('#hits tbody tr.hit .stack .term');
  report.fusedBars = await page.$$eval('#hits tbody tr.hit .bar.fused', (b) => b.length);

  await page.click('#recall-form button');
  await page.waitForSelector('#recall-plot .recall-point');
  report.recall = await page.$$eval('#recall tbody tr', (rows) => rows.map((r) =>
    ({ ef: Number(r.cells[0].textContent), recall: Number(r.cells[1].textContent) })));
  report.plottedPoints = await page.$$eval('#recall-plot .recall-point', (c) => c.length);

  await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report));
