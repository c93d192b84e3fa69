import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startHarness, type Harness } from '../support/harness.ts';
import { PASSWORD } from '../support/api.ts';

/** Debian's Chromium (CI installs the `chromium` package); CHROMIUM_PATH points elsewhere. */
async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** `UPDATE_SCREENSHOT=1` refreshes the README's pictures (docs/<name>.png) from the browser tests. */
export async function screenshotForDocs(page: Page, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOT !== '1') return;
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.resolve(import.meta.dirname, '../../docs', `${name}.png`) });
}

export interface Dashboard {
  h: Harness;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  baseUrl: string;
  /** The API with the browser's own session cookie, for setting the scene as an integration would. */
  post(url: string, data: unknown): Promise<unknown>;
  /** Signs the browser's session up as Sari of Toko Sari (Indonesia), through the API. */
  signUp(): Promise<unknown>;
}

/**
 * A whole embedded Chorus on a real port and a Chromium page on it, for one test file: registers the
 * hooks that start them, keep a picture of the page when a test fails, and stop them. The returned
 * object is filled in before the first test runs.
 */
export function dashboardInChromium(): Dashboard {
  const d = {} as Dashboard;
  beforeAll(async () => {
    d.h = await startHarness('embedded');
    await d.h.app.listen({ port: 0, host: '127.0.0.1' });
    d.baseUrl = `http://127.0.0.1:${(d.h.app.server.address() as AddressInfo).port}`;
    d.browser = await launchChromium();
    d.context = await d.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    d.page = await d.context.newPage();
    d.post = async (url, data) => {
      const res = await d.context.request.post(`${d.baseUrl}/api/v1${url}`, { data });
      expect(res.status(), await res.text()).toBeLessThan(300);
      return res.json();
    };
    d.signUp = () =>
      d.post('/auth/signup', { email: 'sari@tokosari.example', password: PASSWORD, name: 'Sari Wulandari', workspaceName: 'Toko Sari', defaultCountry: 'ID' });
  });

  afterEach(async (ctx) => {
    // A picture of the page at the moment a step failed says more than the assertion alone.
    if (ctx.task.result?.state === 'fail' && d.page) {
      const file = path.join(os.tmpdir(), `chorus-e2e-failure-${Date.now()}.png`);
      await d.page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`e2e failure screenshot: ${file}`);
    }
  });

  afterAll(async () => {
    await d.browser?.close();
    await d.h?.close();
  });
  return d;
}
