// Hawtio 4.2 as the owner uses it the first time (docs/OPERATIONS.md): add the agent's Jolokia as a
// connection, connect, open the Camel tab's routes; then a screenshot. Run by HawtioScreenshotTest:
//   node screenshot.mjs <hawtio url> <jolokia host> <jolokia port> <png>
// Debian's Chromium, headless, with an empty profile and nothing that calls out of this machine.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [hawtio, host, port, png] = process.argv.slice(2);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hawtio-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  viewport: { width: 1400, height: 900 },
});
try {
  const page = browser.pages()[0] || await browser.newPage();
  await page.goto(`${hawtio}/connect/remote`, { waitUntil: 'networkidle' });
  await page.getByRole('button', { name: 'Add connection' }).click();
  await page.fill('#connection-form-name', 'digitalfte');
  // the Scheme switch: HTTPS by default; the agent serves plain HTTP on loopback
  await page.locator('label.pf-v5-c-switch[for="connection-form-scheme"]').click();
  await page.fill('#connection-form-host', host);
  await page.fill('#connection-form-port', port);
  await page.fill('#connection-form-path', '/observe/jolokia');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page.getByText('Connection successful').waitFor({ timeout: 30000 });
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  // Connect opens the connection in a window of its own
  const [agent] = await Promise.all([
    browser.waitForEvent('page'),
    page.getByRole('button', { name: 'Connect', exact: true }).first().click(),
  ]);
  await agent.getByRole('link', { name: 'Camel' }).first().waitFor({ timeout: 60000 });
  await agent.getByText('routes', { exact: true }).first().click();
  const table = agent.locator('main table');
  await table.getByText('sync-vault', { exact: true }).first().waitFor({ timeout: 60000 });
  await agent.waitForLoadState('networkidle');
  await agent.screenshot({ path: png });
  console.log('ROUTES ' + (await table.innerText()).replace(/\s+/g, ' '));
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
