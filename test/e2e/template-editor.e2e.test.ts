import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { gradientPng } from '../fixtures/media/files.ts';
import { dashboardInChromium, screenshotForDocs } from './browser.ts';

const GREETING = /^(Hi|Hello) Budi Santoso, greetings from Bandung! Ask our team\.$/;

describe('template editor in Chromium', () => {
  const d = dashboardInChromium();
  let page: Page;
  let baseUrl: string;

  beforeAll(async () => {
    ({ page, baseUrl } = d);
    await d.signUp();
    await d.post('/contacts', { phone: '0812-3456-7890', name: 'Budi Santoso', fields: { city: 'Bandung' } });
    await d.post('/contacts', { phone: '0813-1111-2222', name: 'Siti Aminah', fields: { city: 'Surabaya', company: 'Toko Siti' } });
    await d.post('/contacts', { phone: '0815-5555-6666', name: 'Agus Wijaya', fields: { company: 'Warung Agus' } });
  });

  /** The text in the preview bubble once the preview of what was typed last has arrived. */
  async function previewText() {
    await page.locator('.wa-chat[aria-busy="false"]').waitFor();
    return (await page.getByTestId('preview-text').textContent()) ?? '';
  }

  it('writes a template with a variable, a fallback and spintax, previews it for a contact, shows errors at the spot and saves it', async () => {
    await page.goto(`${baseUrl}/templates`);
    await page.getByRole('link', { name: 'Write a template' }).click();
    await page.waitForURL('**/templates/new');
    await page.getByRole('textbox', { name: 'Name' }).fill('Welcome');

    // The body: spintax typed, variables from the picker, a fallback from the helper.
    const body = page.getByRole('textbox', { name: 'Message' });
    await body.fill('{Hi|Hello} ');
    await page.getByRole('button', { name: 'Insert variable' }).click();
    await page.getByRole('menuitem', { name: 'Name' }).click();
    await page.keyboard.type(', greetings from ');
    await page.getByRole('button', { name: 'Insert variable' }).click();
    const cityItem = page.getByRole('menuitem', { name: /City/ });
    expect(await cityItem.textContent()).toContain('{{city}}');
    await cityItem.click();
    await page.keyboard.type('! Ask {{company}}.');
    await page.getByRole('button', { name: 'Fallback for company' }).click();
    await page.getByRole('textbox', { name: 'Fallback for {{company}}' }).fill('our team');
    await page.getByRole('button', { name: 'Set fallback' }).click();
    const source = "{Hi|Hello} {{name}}, greetings from {{city}}! Ask {{company | 'our team'}}.";
    expect(await body.inputValue()).toBe(source);

    // Highlighting follows the parser: two variables and a fallback-carrying one, the spintax braces.
    const highlight = page.getByTestId('template-highlight');
    await expect.poll(() => highlight.locator('.tpl-variable').allTextContents()).toEqual(expect.arrayContaining(['{{name}}', '{{city}}']));
    await expect.poll(() => highlight.locator('.tpl-fallback').allTextContents()).toContain("'our team'");
    expect(await highlight.locator('.tpl-spintax_separator').count()).toBeGreaterThan(0);

    // The preview, rendered for a chosen contact: their values, the fallback, one of the options.
    await page.getByRole('combobox', { name: 'Preview as' }).fill('Budi');
    await page.getByRole('option', { name: /Budi Santoso/ }).click();
    await expect.poll(previewText).toMatch(GREETING);
    expect(await page.getByText('Rendered for Budi Santoso').isVisible()).toBe(true);
    await screenshotForDocs(page, 'screenshot-templates');

    // Shuffling re-rolls the spintax: both greetings turn up.
    const greetings = new Set<string>();
    for (let i = 0; i < 30 && greetings.size < 2; i += 1) {
      await page.getByRole('button', { name: 'Shuffle' }).click();
      const text = await previewText();
      expect(text).toMatch(GREETING);
      greetings.add(text.split(' ')[0]!);
    }
    expect([...greetings].sort()).toEqual(['Hello', 'Hi']);

    // A contact without a city and no fallback for it would be skipped, and the preview says why.
    await page.getByRole('combobox', { name: 'Preview as' }).fill('Agus');
    await page.getByRole('option', { name: /Agus Wijaya/ }).click();
    await expect.poll(() => page.getByTestId('preview-missing').textContent()).toContain('Missing: city (no fallback)');

    // An unclosed variable on line 2: the error is listed with its place and marked in the text.
    await body.press('Control+End');
    await page.keyboard.type('\nSee you {{soon');
    const problem = page.getByRole('button', { name: /^Line 2, column 9: Unclosed variable/ });
    await problem.waitFor();
    expect(await page.getByText('Fix the message to see the preview').isVisible()).toBe(true);
    expect((await highlight.locator('.tpl-error').allTextContents()).join('')).toBe('{{soon');
    await problem.click();
    const errorOffset = source.length + '\nSee you '.length;
    expect(await body.evaluate((el: HTMLTextAreaElement) => [el.selectionStart, document.activeElement === el])).toEqual([errorOffset, true]);

    // Saving is refused with the same problem; fixing it saves version 1.
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.getByRole('alert').filter({ hasText: 'Could not save the template' }).waitFor();
    await body.press('Control+End');
    await page.keyboard.type('}}');
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.waitForURL(/\/templates\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('template-version-badge').textContent()).toBe('Version 1');

    // It is in the list with its type, variables and version.
    await page.getByRole('link', { name: 'All templates' }).click();
    await page.waitForURL('**/templates');
    const row = page.getByTestId('template-row').filter({ hasText: 'Welcome' });
    await row.waitFor();
    const rowText = await row.textContent();
    expect(rowText).toContain('Text');
    expect(rowText).toContain('{{city}}');
    expect(rowText).toContain('v1');
    expect(rowText).toContain('Sari Wulandari');
  });

  it('uploads an image from the template editor, shows it in the preview, versions the edits and keeps the image from being deleted', async () => {
    // A program dressed as a photo is refused, in words.
    await page.goto(`${baseUrl}/media`);
    await page.locator('[data-testid="media-dropzone"] input[type="file"]').setInputFiles({
      name: 'photo.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]),
    });
    const refusal = page.getByRole('alert').filter({ hasText: 'photo.jpg was not accepted' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/photo\.jpg .*(program|exe)/i);
    expect(await page.getByTestId('media-row').count()).toBe(0);

    await page.goto(`${baseUrl}/templates/new`);
    await page.getByRole('textbox', { name: 'Name' }).fill('Promo');
    await page.getByText('Image', { exact: true }).click();
    await page.getByRole('button', { name: 'Choose an image' }).click();
    const chooser = page.getByRole('dialog', { name: 'Choose an image' });
    await chooser.getByText('JPEG or PNG', { exact: false }).waitFor();
    await chooser.locator('[data-testid="media-dropzone"] input[type="file"]').setInputFiles({ name: 'promo.png', mimeType: 'image/png', buffer: gradientPng(240, 160) });
    await chooser.waitFor({ state: 'detached' });
    expect(await page.getByTestId('media-picker').textContent()).toContain('promo.png');

    await page.getByRole('textbox', { name: 'Caption' }).fill("Sale for {{name | 'you'}}!");
    const image = page.getByTestId('preview-bubble').locator('img');
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);
    expect(await previewText()).toBe('Sale for Alex Sample!');

    await page.getByRole('button', { name: 'Create template' }).click();
    await expect.poll(() => page.getByTestId('template-version-badge').textContent()).toBe('Version 1');
    await page.getByRole('textbox', { name: 'Caption' }).fill("Big sale for {{name | 'you'}}!");
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('template-version-badge').textContent()).toBe('Version 2');
    // The "saved" notification may cover the header's buttons; the keyboard reaches them anyway.
    await page.getByRole('button', { name: 'Versions' }).press('Enter');
    await expect.poll(() => page.getByTestId('template-version').count()).toBe(2);
    const first = page.getByTestId('template-version').filter({ hasText: 'Version 1' });
    expect(await first.textContent()).toContain('Sari Wulandari');
    await first.getByRole('button', { name: /Version 1/ }).click();
    await first.getByText("Sale for {{name | 'you'}}!").waitFor();
    await page.keyboard.press('Escape');

    // The library refuses to delete an image a template uses, and says which.
    await page.goto(`${baseUrl}/media`);
    await page.getByRole('button', { name: 'Delete promo.png' }).click();
    await page.getByRole('button', { name: 'Delete file' }).click();
    await expect.poll(() => page.locator('.mantine-Notification-root').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Promo')]));
    expect(await page.getByTestId('media-row').count()).toBe(1);
  });
});
