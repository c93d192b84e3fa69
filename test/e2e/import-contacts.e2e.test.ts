import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { dashboardInChromium, screenshotForDocs } from './browser.ts';


// A spreadsheet as people export it: a title row above the headers, semicolons, local and
// international phone formats, Indonesian headers, consent as ya/tidak, and one number that
// cannot be a phone.
const messyCsv = [
  'Daftar Pelanggan Toko Sari;;;;',
  'No HP;Nama;Kota;Tanggal Lahir;Setuju',
  '0812-3456-7890;Budi Santoso;Bandung;1990-05-14;ya',
  '+62 813 1111 2222;Siti Aminah;Surabaya;1985-11-02;tidak',
  '081299998888;Agus Wijaya;Jakarta;1992-01-30;ya',
  '+6285711112222;Dewi Lestari;Yogyakarta;1995-07-21;ya',
  '(0812) 7777-6666;Rina Marlina;Semarang;1988-09-09;',
  '0821 4455 6677;Eko Prasetyo;Malang;1979-12-24;ya',
  '0856-4321-8765;Fitri Handayani;Medan;1993-04-18;tidak',
  '12345;Nomor Salah;Denpasar;1980-03-03;ya',
  '',
].join('\r\n');

describe('dashboard in Chromium', () => {
  const d = dashboardInChromium();
  let context: BrowserContext;
  let page: Page;
  let baseUrl: string;

  beforeAll(() => {
    ({ context, page, baseUrl } = d);
  });

  it('signs up, imports a messy CSV through the wizard and shows the contacts with their custom fields', async () => {
    await page.goto(`${baseUrl}/`);
    await page.waitForURL('**/login');
    await page.getByRole('link', { name: 'Create an account' }).click();

    await page.getByLabel('Your name').fill('Sari Wulandari');
    await page.getByLabel('Work email').fill('sari@tokosari.example');
    await page.getByRole('textbox', { name: 'Password' }).fill('correct horse battery');
    await page.getByLabel('Workspace name').fill('Toko Sari');
    await page.getByRole('combobox', { name: 'Default country' }).fill('Indonesia');
    await page.getByRole('option', { name: 'Indonesia (ID)' }).click();
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.waitForURL('**/contacts');
    await expect.poll(() => page.getByText('No contacts yet — import a spreadsheet').isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Import a spreadsheet' }).click();
    await page.waitForURL('**/imports/new');

    await page.locator('[data-testid="import-dropzone"] input[type="file"]').setInputFiles({
      name: 'pelanggan.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(messyCsv, 'utf8'),
    });

    // Step 2: what Chorus detected, in words, and the columns as variables.
    const mapping = page.getByTestId('mapping-table');
    await mapping.waitFor();
    await expect.poll(() => page.getByText('Semicolon (;)').isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Row 1 was skipped as a title').isVisible()).toBe(true);
    const variables = page.getByTestId('detected-variables');
    await expect.poll(() => variables.textContent()).toContain('{{kota}}');
    expect(await variables.textContent()).toContain('{{tanggal_lahir}}');
    expect(await page.getByRole('combobox', { name: 'What No HP holds' }).inputValue()).toBe('Phone number');
    expect(await page.getByRole('combobox', { name: 'What Nama holds' }).inputValue()).toBe('Name');
    expect(await page.getByRole('combobox', { name: 'What Setuju holds' }).inputValue()).toBe('Consent');
    expect(await mapping.textContent()).toContain('Budi Santoso');
    if (process.env.UPDATE_SCREENSHOT === '1') {
      // For reviewing the mapping step's design; only the contacts page goes into the README.
      const file = path.join(os.tmpdir(), 'chorus-import-mapping.png');
      await page.screenshot({ path: file, fullPage: true });
      console.log(`mapping step screenshot: ${file}`);
    }

    await page.getByRole('button', { name: 'Start import' }).click();

    // Steps 3 and 4: progress, then the result with its counts and the rejected rows.
    await page.getByText('Import complete').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('count-imported').getByLabel('Imported: 7').count()).toBe(1);
    expect(await page.getByTestId('count-rejected').getByLabel('Rejected: 1').count()).toBe(1);
    const download = page.getByRole('link', { name: 'Download rejected rows (CSV)' });
    const href = await download.getAttribute('href');
    const rejections = await context.request.get(`${baseUrl}${href}`);
    expect(rejections.status()).toBe(200);
    expect(await rejections.text()).toContain('12345');

    await page.getByRole('link', { name: 'View contacts' }).click();
    await page.waitForURL('**/contacts');
    const table = page.getByTestId('contacts-table');
    await table.waitFor();
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(7);
    const budi = page.getByTestId('contact-row').filter({ hasText: 'Budi Santoso' });
    expect(await budi.textContent()).toContain('+6281234567890');
    expect(await budi.textContent()).toContain('Bandung');
    expect(await budi.textContent()).toContain('Consented');
    expect(await page.getByTestId('contact-row').filter({ hasText: 'Siti Aminah' }).textContent()).toContain('No consent');
    expect(await table.textContent()).toContain('Yogyakarta');
    expect(await table.textContent()).not.toContain('Nomor Salah');
    expect(await page.getByRole('columnheader').allTextContents()).toEqual(expect.arrayContaining(['Kota', 'Tanggal Lahir']));

    await screenshotForDocs(page, 'screenshot');

    // The detail drawer shows every custom field of the contact under its variable name.
    await budi.click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('{{kota}}').waitFor();
    expect(await drawer.getByRole('textbox', { name: 'Kota' }).inputValue()).toBe('Bandung');
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.isVisible()).toBe(false);

    // A search that finds no one offers to clear the filters, and clearing empties the box too.
    const search = page.getByRole('textbox', { name: 'Search contacts' });
    await search.fill('Nobody Here');
    await page.getByText('No contacts match these filters').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.getByTestId('contact-row').count()).toBe(7);
    expect(await search.inputValue()).toBe('');
    expect(new URL(page.url()).searchParams.get('search')).toBeNull();
  });
});
