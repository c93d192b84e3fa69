import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isActive } from '../src/domain/active-hours.ts';
import { resolveScenario, ScenarioError } from '../src/services/simulate/scenario.ts';
import { gapStats, windowCounts, type RunReport, type SimulationReport } from '../src/services/simulate/report.ts';
import { runSimulation, simulateCommand } from '../src/services/simulate/simulate.service.ts';
import { formatReport } from '../src/services/simulate/table.ts';

const run = promisify(execFile);

/**
 * `chorus simulate` end to end: three profiles with different active hours, timezones and limits
 * send 300 recipients over two simulated days through the real dispatch path, side by side with a
 * naive blaster on the same recipients and network.
 */
const SCENARIO = {
  seed: 'simulate-test',
  days: 2,
  recipients: 300,
  profiles: [
    { name: 'Jakarta office', settings: { timezone: 'Asia/Jakarta', activeHours: { start: '08:00', end: '20:00' } } },
    { name: 'Default hours' },
    {
      name: 'Night owl',
      settings: { timezone: 'America/New_York', activeHours: { start: '22:00', end: '06:00' }, limits: { perHour: 10, per3Hours: 25, perDay: 80 } },
    },
  ],
  naive: { delaySeconds: 5 },
};

const HOUR = 3_600_000;

describe('chorus simulate', () => {
  let report: SimulationReport;
  beforeAll(async () => {
    report = await runSimulation(resolveScenario(SCENARIO));
  });

  const days = (r: RunReport) => r.profiles.flatMap((p) => p.days.map((d) => ({ profile: p, day: d })));

  it('keeps every Chorus window within its cap on every day, and the caps are the configured ones', () => {
    for (const { profile, day } of days(report.chorus)) {
      for (const w of ['hour', 'threeHours', 'day'] as const) expect(day.windows[w].max, `${profile.name} day ${day.day} ${w}`).toBeLessThanOrEqual(day.windows[w].cap);
      expect(day.violations).toBe(0);
    }
    const owl = report.chorus.profiles.find((p) => p.name === 'Night owl')!;
    expect(owl.total.windows.hour.cap).toBe(10);
    expect(owl.total.windows.threeHours.cap).toBe(25);
    expect(owl.total.windows.day.cap).toBe(80);
    // The limits bind: the night owl's windows come close to its caps, so staying within them is not luck.
    expect(owl.total.windows.threeHours.max).toBeGreaterThan(15);
  });

  it('sends nothing outside each profile’s active hours, in its own timezone', () => {
    expect(report.chorus.totals.outsideActiveHours).toBe(0);
    for (const { day } of days(report.chorus)) expect(day.outsideActiveHours).toBe(0);
    // Every profile sent on both days, so its hours were crossed, not avoided.
    for (const p of report.chorus.profiles) expect(p.days.every((d) => d.sends > 0)).toBe(true);
    const jakarta = report.chorus.profiles.find((p) => p.name === 'Jakarta office')!;
    const jakartaMax = jakarta.total.windows.hour.at!;
    expect(isActive(jakartaMax, { start: '08:00', end: '20:00' }, 'Asia/Jakarta')).toBe(true);
  });

  it('reaches every recipient who is on WhatsApp, with human gaps, and gets no warning or ban', () => {
    const c = report.chorus.totals;
    const refused = report.chorus.profiles.reduce((a, p) => a + p.final!.refused.recipient + p.final!.refused.permanent, 0);
    expect(c.reached + refused).toBe(SCENARIO.recipients);
    expect(c.unsent).toBe(0);
    expect(c.warnings + c.bans).toBe(0);
    expect(report.chorus.profiles.every((p) => p.final!.state === 'healthy')).toBe(true);
    // Pacing: minutes apart and varied, never a fixed beat.
    expect(c.gaps!.minSeconds).toBeGreaterThanOrEqual(20);
    expect(c.gaps!.medianSeconds).toBeGreaterThan(120);
    expect(c.gaps!.cv).toBeGreaterThan(0.2);
    expect(c.delivered).toBeGreaterThan(0.9 * c.sends);
    expect(c.replied).toBeGreaterThan(0);
  });

  it('shows the naive blaster on the same recipients going over the caps, outside active hours, warned and banned', () => {
    const n = report.naive.totals;
    expect(n.violations).toBeGreaterThan(0);
    expect(n.windows.hour.max).toBeGreaterThan(n.windows.hour.cap);
    expect(n.outsideActiveHours).toBeGreaterThan(0);
    expect(n.warnings).toBeGreaterThan(0);
    expect(n.profilesBanned).toBeGreaterThan(0);
    expect(n.firstBanDay).toBe(1);
    expect(n.gaps!.medianSeconds).toBe(5);
    const banned = report.naive.profiles.find((p) => p.final!.state === 'banned')!;
    expect(banned.final!.banReason).toMatch(/^risk reached 250/);
    expect(banned.lastWait).toBe('it stopped when the number was banned');
    expect(banned.unsent).toBeGreaterThan(0);
    expect(report.naive.totals.unsent).toBe(report.naive.profiles.reduce((a, p) => a + p.unsent, 0));
  });

  it('says what it means in plain words', () => {
    const [chorus, naive, verdict] = report.summary;
    expect(chorus).toMatch(/^Chorus: 0 limit violations, 0 sends outside active hours, 0 warnings, 0 bans/);
    expect(naive).toMatch(new RegExp(`^Naive blaster: ${report.naive.totals.violations} limit violations, .* \\(${report.naive.totals.profilesBanned} of 3 profiles banned on day 1\\)`));
    expect(naive).toMatch(/the hourly window reached \d+ sends against a cap of \d+/);
    expect(verdict).toMatch(/^In short — Chorus: 0 limit violations, 0 warnings, 0 bans, .*; naive blaster: \d+ profiles? banned on day 1/);
    expect(report.distribution.explanation).toBe('enterprise plan: smart over 3 of 3 profiles');
  });

  it('runs from the command line, prints the table, and gives the same report for the same seed', async () => {
    const args = ['bin/chorus.js', 'simulate', '--days', '1', '--profiles', '2', '--recipients', '50'];
    const { stdout, stderr } = await run('node', args, { timeout: 120_000 });
    expect(stdout).toMatch(/^profile +day +sent +tried +1h max\/cap +3h max\/cap +24h max\/cap/m);
    expect(stdout).toMatch(/^Sim 01 +1 +\d+/m);
    expect(stdout).toMatch(/^Chorus: /m);
    expect(stderr).toMatch(/simulated in [\d.]+ s/);
    // Another process, the same scenario: the same report to the character.
    const again = await runSimulation(resolveScenario(undefined, { days: 1, profiles: 2, recipients: 50 }));
    expect(stdout.trimEnd()).toBe(formatReport(again));
    const other = JSON.parse(await simulateCommand({ days: 1, profiles: 2, recipients: 50, seed: 'another', json: true })) as SimulationReport;
    expect(other.scenario.seed).toBe('another');
    expect(other.chorus.profiles.map((p) => p.total.gaps)).not.toEqual(again.chorus.profiles.map((p) => p.total.gaps));
  }, 180_000);

  it('refuses a bad scenario with every reason in words, and exits 2 from the command line', async () => {
    const problems = (raw: unknown, flags = {}) => {
      try {
        resolveScenario(raw, flags);
      } catch (err) {
        if (err instanceof ScenarioError) return err.problems;
        throw err;
      }
      return [];
    };
    expect(problems({}, { strategy: 'fastest' })[0]).toMatch(/^package\.strategy: /);
    expect(problems({ profiles: [{ settings: { limits: { perHour: 30, per3Hours: 20 } } }] })).toEqual([
      expect.stringMatching(/^the limits of Sim 01 contradict each other: per 3 hours \(20\) is less than per hour \(30\)/),
    ]);
    expect(problems({ message: 'Hi {{city}} {a|' })).toEqual([expect.stringMatching(/^message, line 1 column \d+: /), expect.stringMatching(/^message, line 1 column 4: Unknown variable "city"/)]);
    expect(problems({ profiles: [{ name: 'A' }] }, { profiles: 2 })).toEqual(['profiles: two profiles are named "A" (a repeated list entry needs no name: the default names are numbered)']);
    expect(problems([1])).toEqual(['the scenario must be a JSON object']);
    await expect(run('node', ['bin/chorus.js', 'simulate', '--days', '0'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/days: at least 1/) });
  });

  it('takes flags over the scenario file, and repeats a list of profiles to the number asked', () => {
    const s = resolveScenario({ days: 3, seed: 'file', profiles: [{ settings: { timezone: 'Asia/Jakarta' } }, { weight: 2 }] }, { profiles: 5, seed: 'flag', naiveDelay: 3 });
    expect(s.days).toBe(3);
    expect(s.seed).toBe('flag');
    expect(s.naive.delaySeconds).toBe(3);
    expect(s.profiles.map((p) => [p.name, p.settings.timezone ?? null, p.weight])).toEqual([
      ['Sim 01', 'Asia/Jakarta', null],
      ['Sim 02', null, 2],
      ['Sim 03', 'Asia/Jakarta', null],
      ['Sim 04', null, 2],
      ['Sim 05', 'Asia/Jakarta', null],
    ]);
    const defaults = resolveScenario(undefined);
    expect([defaults.days, defaults.recipients, defaults.profiles.length, defaults.package.strategy, defaults.naive.delaySeconds]).toEqual([7, 10_000, 20, 'smart', 10]);
  });
});

describe('simulation figures', () => {
  const times = fc.array(fc.integer({ min: 0, max: 30 * HOUR }), { maxLength: 200 }).map((xs) => xs.sort((a, b) => a - b));

  it('counts each window exactly as the governor does: sends after T − window, up to T', () => {
    fc.assert(
      fc.property(times, fc.constantFrom(HOUR, 3 * HOUR, 24 * HOUR), (ts, ms) => {
        const counts = windowCounts(ts, ms);
        ts.forEach((t, j) => expect(counts[j]).toBe(ts.filter((u, i) => i <= j && u > t - ms).length));
      }),
      { seed: 4, numRuns: 200 },
    );
  });

  it('gives gap statistics: min, median, p95 (nearest rank) and the coefficient of variation', () => {
    expect(gapStats([])).toBeNull();
    expect(gapStats([5000, 5000, 5000])).toEqual({ count: 3, minSeconds: 5, medianSeconds: 5, p95Seconds: 5, cv: 0 });
    const g = gapStats(Array.from({ length: 20 }, (_, i) => (i + 1) * 1000))!;
    expect(g).toMatchObject({ count: 20, minSeconds: 1, medianSeconds: 10.5, p95Seconds: 19 });
    expect(g.cv).toBeCloseTo(Math.sqrt(33.25) / 10.5, 3);
  });
});
