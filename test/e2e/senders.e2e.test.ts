import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { dashboardInChromium, screenshotForDocs } from './browser.ts';
import { reliableNetwork } from '../support/senders.ts';

const CALM_NETWORK = reliableNetwork({ accept: 5, delivery: 50, read: 200, reply: 400 }, { replyProbability: 1 });
const PHONE = '+6281211110001';

describe('senders page in Chromium', () => {
  const d = dashboardInChromium();
  let page: Page;
  let baseUrl: string;

  beforeAll(async () => {
    ({ page, baseUrl } = d);
    await d.signUp();
    // The number that sends: 5 an hour, all day, pacing off at a message every 2 s, on a calm simulated network.
    await d.post('/profiles', {
      name: 'Sales WhatsApp #1',
      phone: PHONE,
      transport: 'simulator',
      transportConfig: { seed: 'sales-1', overrides: CALM_NETWORK },
      settings: { limits: { perHour: 5, per3Hours: 15, perDay: 100 }, activeHours: { start: '00:00', end: '00:00' }, pacing: { mode: 'off', ratePerSecond: 0.5 } },
    });
    await d.post('/packages', { name: 'Support' });
  });

  const dialog = () => page.getByRole('dialog');
  const card = (name: string) => page.getByRole('region', { name: `Package ${name}` });
  const row = (pkg: string, profile: string) => card(pkg).getByRole('group', { name: `Profile ${profile}` });
  const text = async (l: Locator) => (await l.textContent())?.trim() ?? '';

  it('adds a profile and a package with the forms, showing the API refusals at their fields', async () => {
    await page.goto(`${baseUrl}/contacts`);
    await page.getByRole('link', { name: 'Senders' }).click();
    await page.waitForURL('**/senders');
    await expect.poll(() => text(page.getByTestId('live-status'))).toBe('● Live');
    expect(await text(page.getByTestId('profiles-table'))).toContain('in no package: sends no open chat');

    // A second number on the phone the first one uses: refused, and said under Phone.
    await page.getByRole('button', { name: 'New profile' }).first().click();
    await dialog().getByRole('textbox', { name: 'Name' }).fill('Sales WhatsApp #2');
    await dialog().getByRole('textbox', { name: 'Phone' }).fill('0812-1111-0001');
    await dialog().getByRole('button', { name: 'Add profile' }).click();
    await dialog().getByText(`Another profile already sends from ${PHONE}`).waitFor();
    expect(await dialog().getByRole('textbox', { name: 'Phone' }).getAttribute('aria-invalid')).toBe('true');
    await dialog().getByRole('textbox', { name: 'Phone' }).fill('0812-1111-0002');
    await dialog().getByRole('button', { name: 'Add profile' }).click();
    await dialog().waitFor({ state: 'detached' });
    await expect.poll(() => text(page.getByTestId('profiles-table'))).toContain('Sales WhatsApp #2');

    // A package named like one that exists: refused under Name; renamed, it is created with its profile.
    await page.getByRole('button', { name: 'New package' }).first().click();
    await dialog().getByRole('textbox', { name: 'Name' }).fill('Support');
    await dialog().getByLabel('Profiles', { exact: true }).click();
    await page.getByRole('option', { name: `Sales WhatsApp #1 (${PHONE})` }).click();
    await page.keyboard.press('Escape');
    await dialog().getByRole('textbox', { name: 'Daily total' }).fill('100');
    await dialog().getByRole('textbox', { name: 'Max concurrent sends' }).fill('2');
    await dialog().getByRole('textbox', { name: 'Per hour' }).fill('80');
    await dialog().getByRole('button', { name: 'Create package' }).click();
    await dialog().getByText('A package named "Support" already exists').waitFor();
    expect(await dialog().getByRole('textbox', { name: 'Name' }).getAttribute('aria-invalid')).toBe('true');
    await dialog().getByRole('textbox', { name: 'Name' }).fill('Marketing Campaign');
    // Limits that contradict the workspace defaults below them are refused with the API's explanation, in the Limits section.
    await dialog().getByRole('button', { name: 'Create package' }).click();
    await expect.poll(() => text(dialog().getByTestId('limits-error'))).toMatch(/per 3 hours \(50\) is less than per hour \(80\)/);
    await dialog().getByRole('textbox', { name: 'Per hour' }).fill('');
    await dialog().getByRole('button', { name: 'Create package' }).click();
    await dialog().waitFor({ state: 'detached' });

    await expect.poll(() => text(row('Marketing Campaign', 'Sales WhatsApp #1').getByTestId('usage-line'))).toBe(
      'Sales WhatsApp #1: 0/5 hourly | 0/15 3-hour | 0/100 daily | ● Idle',
    );
    expect(await text(card('Marketing Campaign'))).toContain('0/100 daily total');
  });

  it('shows the numbers move live while the simulator sends, until the hourly limit holds the rest', async () => {
    const profile = row('Marketing Campaign', 'Sales WhatsApp #1');
    const hourly = profile.getByTestId('usage-hour');
    // Anything that reloads the page would drop this.
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
    const packageId = (await page.evaluate(async () => (await (await fetch('/api/v1/senders/usage')).json()).items)).find(
      (p: { name: string }) => p.name === 'Marketing Campaign',
    ).packageId as string;
    // Eight promotions through the open-chat API, as an integration sends them.
    await d.post(`/packages/${packageId}/messages/open`, {
      recipients: Array.from({ length: 8 }, (_, i) => `+62813000000${i}`),
      content: { type: 'text', text: 'Promo of the week' },
    });

    const seen: string[] = [];
    await expect
      .poll(
        async () => {
          const t = await text(hourly);
          if (seen.at(-1) !== t) seen.push(t);
          return t;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe('5/5 hourly');
    expect(seen[0]).toBe('0/5 hourly');
    // The count went up in steps as the sends left, each shown as it happened.
    const counts = seen.map((s) => Number(s.split('/')[0]));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.some((n) => n > 0 && n < 5), seen.join(' → ')).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    await expect.poll(() => text(profile.getByTestId('state'))).toBe('○ Limit reached');
    expect(await text(profile.getByTestId('state-reason'))).toBe('hourly limit reached (5/5): the next message waits for a slot to free up');
    await expect.poll(() => text(profile.getByTestId('next-send'))).toMatch(/^Next send: in 5\d min \d\d s — hourly limit reached \(5\/5\); next slot at \d\d:\d\d:\d\d UTC$/);
    await expect.poll(() => text(profile.getByTestId('usage-line'))).toBe('Sales WhatsApp #1: 5/5 hourly | 5/15 3-hour | 5/100 daily | ○ Limit reached');
    // Replies come back to the number: received counts move too.
    await expect.poll(() => text(profile.getByTestId('received-hour')), { timeout: 15_000 }).toMatch(/^[1-5] received$/);
    expect(await text(card('Marketing Campaign'))).toContain('5/100 daily total');
    expect(await text(card('Marketing Campaign'))).toContain('Queued: 3');
    await screenshotForDocs(page, 'screenshot-senders');
  });

  it('explains every limit and pacing parameter with its source, and pauses and resumes a profile', async () => {
    const profile = row('Marketing Campaign', 'Sales WhatsApp #1');
    await profile.getByRole('button', { name: 'Limits and pacing' }).click();
    const drawer = dialog();
    const perHour = drawer.getByTestId('parameter').filter({ hasText: 'Per hour' });
    await expect.poll(() => text(perHour)).toBe('Per hourat most 5 open-chat messages in any hourprofile override');
    expect(await text(drawer.getByTestId('parameter').filter({ hasText: 'Jitter' }))).toContain('built-in default');
    expect(await text(drawer.getByTestId('pacing-explanation'))).toContain('pacing is off');
    expect(await text(drawer)).toContain('The configured limits are in force');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    await profile.getByRole('button', { name: 'Pause' }).click();
    await dialog().getByRole('textbox', { name: 'Reason' }).fill('Holiday');
    await dialog().getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => text(profile.getByTestId('state'))).toBe('○ Paused');
    expect(await text(profile.getByTestId('state-reason'))).toBe('Paused by hand: Holiday');
    await profile.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => text(profile.getByTestId('state'))).toBe('○ Limit reached');
  });
});
