import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { dashboardInChromium, screenshotForDocs } from './browser.ts';

// Who should match "label vip AND (city is Bandung OR spend > 100)": Budi (Bandung), Siti (spend 250)
// and Eko (city written "bandung": text comparisons ignore case). Each of the others misses one side.
const contacts = [
  { phone: '081234567890', name: 'Budi Santoso', labels: ['vip'], fields: { city: 'Bandung', spend: 50 } },
  { phone: '081311112222', name: 'Siti Aminah', labels: ['vip', 'reseller'], fields: { city: 'Surabaya', spend: 250 } },
  { phone: '082144556677', name: 'Eko Prasetyo', labels: ['vip', 'new'], fields: { city: 'bandung', spend: 10 } },
  { phone: '081299998888', name: 'Agus Wijaya', labels: ['vip'], fields: { city: 'Jakarta', spend: 80 } },
  { phone: '085711112222', name: 'Dewi Lestari', labels: ['reseller'], fields: { city: 'Bandung', spend: 500 } },
  { phone: '081277776666', name: 'Rina Marlina', labels: [], fields: { city: 'Bandung', spend: 300 } },
];
const matching = ['Budi Santoso', 'Siti Aminah', 'Eko Prasetyo'];

describe('segment builder in Chromium', () => {
  const d = dashboardInChromium();
  let page: Page;
  let baseUrl: string;

  beforeAll(() => {
    ({ page, baseUrl } = d);
  });

  /** Picks an option of a Mantine select; its options live in a portal at the end of the page. */
  async function choose(select: Locator, option: string) {
    await select.click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  const liveCount = () => page.getByTestId('live-count');
  /** The count once the preview has settled on the current conditions. */
  const settledCount = async () => ((await liveCount().getAttribute('aria-busy')) === 'false' ? liveCount().textContent() : null);

  it('builds "vip AND (Bandung OR spend > 100)" visually, sees the live count and sample, saves it and finds it in the list', async () => {
    // The browser's session signs up and creates the contacts through the API, as an integration would.
    const { post } = d;
    await d.signUp();
    for (const c of contacts) await post('/contacts', c);

    await page.goto(`${baseUrl}/contacts`);
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.waitForURL('**/segments');
    await page.getByText('No segments yet').waitFor();
    await page.getByRole('link', { name: 'New segment' }).first().click();
    await page.waitForURL('**/segments/new');

    // No conditions: the segment holds everyone.
    await expect.poll(settledCount).toBe('6 contacts match');

    await page.getByRole('textbox', { name: 'Name' }).fill('VIP in Bandung or big spenders');
    await page.getByRole('button', { name: 'Add condition', exact: true }).click();
    const first = page.getByRole('group', { name: 'Condition 1', exact: true });
    await choose(first.getByRole('combobox', { name: 'Field' }), 'Labels');
    expect(await first.getByRole('combobox', { name: 'Operator' }).inputValue()).toBe('has any of');
    // A row says in place what it still needs.
    await expect.poll(() => first.getByTestId('condition-problem').textContent()).toBe('Add at least one value');
    await first.getByLabel('Values').fill('vip');
    await first.getByLabel('Values').press('Enter');
    await first.getByLabel('Values').press('Escape');
    expect(await first.getByTestId('condition-problem').count()).toBe(0);
    await expect.poll(settledCount).toBe('4 contacts match');

    // A nested group under "All of" starts as "Any of".
    await page.getByRole('button', { name: 'Add group', exact: true }).click();
    const group = page.getByRole('group', { name: 'Group 2', exact: true });
    expect(await group.getByRole('radio', { name: 'Any of (OR)' }).isChecked()).toBe(true);
    const city = page.getByRole('group', { name: 'Condition 2.1', exact: true });
    await choose(city.getByRole('combobox', { name: 'Field' }), 'City');
    expect(await city.getByRole('combobox', { name: 'Operator' }).inputValue()).toBe('equals');
    await city.getByLabel('Value').fill('Bandung');

    await group.getByRole('button', { name: 'Add condition to group 2' }).click();
    const spend = page.getByRole('group', { name: 'Condition 2.2', exact: true });
    await choose(spend.getByRole('combobox', { name: 'Field' }), 'Spend');
    await choose(spend.getByRole('combobox', { name: 'Operator' }), 'is more than');
    await spend.getByLabel('Value').fill('100');

    await expect.poll(settledCount).toBe('3 contacts match');
    const sample = page.getByTestId('sample-row');
    await expect.poll(() => sample.count()).toBe(3);
    const names = (await sample.allTextContents()).join(' ');
    for (const name of matching) expect(names).toContain(name);
    expect(names).not.toContain('Agus Wijaya');
    expect(await page.getByTestId('sample').getByRole('columnheader').allTextContents()).toEqual(expect.arrayContaining(['City', 'Spend']));
    await screenshotForDocs(page, 'screenshot-segments');

    // Switching the group to "All of" narrows it to vip AND Bandung AND spend > 100: nobody.
    await group.getByText('All of (AND)').click();
    await expect.poll(settledCount).toBe('0 contacts match');
    await group.getByText('Any of (OR)').click();
    await expect.poll(settledCount).toBe('3 contacts match');

    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.waitForURL(/\/segments\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole('group', { name: 'Contacts', exact: true }).getByTestId('stat-value').textContent()).toBe('3');
    const members = page.getByTestId('segment-contacts');
    await expect.poll(() => members.getByRole('row').count()).toBe(4);
    for (const name of matching) expect(await members.textContent()).toContain(name);

    await page.getByRole('link', { name: 'All segments' }).click();
    await page.waitForURL('**/segments');
    const row = page.getByTestId('segment-row').filter({ hasText: 'VIP in Bandung or big spenders' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Dynamic');
    expect(await row.getByRole('cell').nth(2).textContent()).toMatch(/^3 · 0 reachablecounted just now$/);

    // Reopened, the builder shows the saved conditions as they were built.
    await row.click();
    await page.getByRole('tab', { name: 'Edit conditions' }).click();
    expect(await page.getByRole('group', { name: 'Condition 2.2', exact: true }).getByRole('combobox', { name: 'Field' }).inputValue()).toBe('Spend');
    await expect.poll(settledCount).toBe('3 contacts match');
  });
});
