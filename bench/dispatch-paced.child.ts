import { performance } from 'node:perf_hooks';
import { isActive } from '../src/domain/active-hours.ts';
import { checksFor, MemoryGovernor } from '../src/governor/memory.governor.ts';
import { governorRule } from '../src/services/dispatch.service.ts';
import { createSimulationDatabase, planDistribution, runChorus, type ChorusSetup, type RunOutcome } from '../src/services/simulate/chorus-run.ts';
import { runNaive } from '../src/services/simulate/naive-run.ts';
import { windowCounts } from '../src/services/simulate/report.ts';
import { resolveScenario } from '../src/services/simulate/scenario.ts';
import { buildWorld } from '../src/services/simulate/world.ts';

/**
 * The paced mode of the dispatch benchmark, in its own process: `tsx bench/dispatch-paced.child.ts
 * <profiles> <days> <recipients>`. Runs the dispatch path as `chorus simulate` does — PGlite in
 * memory, the in-memory governor, human pacing, `drainProfile` on a virtual clock — with small
 * limits that bind, then counts from the instants every send left (the simulator's ledger) how
 * often a sliding 1 h, 3 h or 24 h window went past its cap, per profile and for the package's
 * daily total, and how many sends fell outside active hours. Sends its figures over IPC.
 */

const HOUR = 3_600_000;

export interface WindowCheck {
  /** Sends whose window (ending at that send) held more than the cap in force. */
  violations: number;
  /** The window that came closest to its cap (or went furthest past it): its sends, and the cap in force then. */
  max: number;
  cap: number;
}

export interface RunChecks {
  sends: number;
  windows: { hour: WindowCheck; threeHours: WindowCheck; day: WindowCheck; packageDay: WindowCheck };
  outsideActiveHours: number;
  /** Median gap between a profile's consecutive sends less than 4 h apart, in seconds. */
  medianGapSeconds: number;
}

export interface PacedResult {
  profiles: number;
  days: number;
  recipients: number;
  wallMs: number;
  chorus: RunChecks;
  /** The same counts over the naive blaster of `chorus simulate` on the same recipients: shows the counting finds violations where there are some. */
  naive: RunChecks;
}

/**
 * A pool whose limits bind: an hourly and 3-hour limit below what pacing would spread the daily
 * limit at, the built-in 20 / 50 / 120 over 20 active hours, a night shift in New York, a number
 * warming up (its daily cap grows day by day), all with human pacing, and a package daily total
 * below what the profiles could send together.
 */
function scenario(profiles: number, days: number, recipients: number) {
  return resolveScenario(
    {
      seed: 'bench-dispatch-paced',
      days,
      recipients,
      package: { strategy: 'round_robin', dailyTotal: profiles * 40, maxConcurrentSends: 3 },
      profiles: [
        { settings: { timezone: 'Asia/Jakarta', activeHours: { start: '08:00', end: '20:00' }, limits: { perHour: 10, per3Hours: 25, perDay: 200 } } },
        {},
        { settings: { timezone: 'America/New_York', activeHours: { start: '22:00', end: '06:00' }, limits: { perHour: 15, per3Hours: 40, perDay: 100 } } },
        { warmup: true, settings: { warmup: { enabled: true, startPerDay: 20, growthPerDay: 15 } } },
      ],
      network: { ban: { enabled: false } },
    },
    { profiles },
  );
}

/** Which of two windows came closer to its cap: the larger share of it, then the more sends. */
const closer = (a: WindowCheck, b: WindowCheck) => (b.max * a.cap > a.max * b.cap || (b.max * a.cap === a.max * b.cap && b.max > a.max) ? b : a);

/** Over the sorted instants `times`: sends whose window of `ms` held more than `capAt(t)`, and the window closest to its cap. */
function check(times: number[], ms: number, capAt: (t: number) => number): WindowCheck {
  let out: WindowCheck = { violations: 0, max: 0, cap: 1 };
  windowCounts(times, ms).forEach((n, i) => {
    const cap = capAt(times[i]!);
    out = { ...closer(out, { violations: 0, max: n, cap }), violations: out.violations + (n > cap ? 1 : 0) };
  });
  return out;
}

function add(a: WindowCheck, b: WindowCheck): WindowCheck {
  return { ...closer(a, b), violations: a.violations + b.violations };
}

/** The windows, active hours and gaps of one run, from the instants its sends left. */
function checks(packageDailyTotal: number, setup: ChorusSetup, run: RunOutcome): RunChecks {
  const empty = (): WindowCheck => ({ violations: 0, max: 0, cap: 1 });
  const windows = { hour: empty(), threeHours: empty(), day: empty(), packageDay: empty() };
  let sends = 0;
  let outsideActiveHours = 0;
  const gaps: number[] = [];
  const all: number[] = [];
  for (const me of setup.pkg.profiles) {
    const times = [...run.ledger.log(me.id).sends].sort((a, b) => a - b);
    sends += times.length;
    all.push(...times);
    // The caps the governor enforced at each instant (warm-up moves them), from the same rule it was given.
    const capAt = (reason: string) => (t: number) => checksFor(governorRule(setup.pkg, me, t).rule, t).find((c) => c.reason === reason)!.cap;
    windows.hour = add(windows.hour, check(times, HOUR, capAt('hour')));
    windows.threeHours = add(windows.threeHours, check(times, 3 * HOUR, capAt('three_hours')));
    windows.day = add(windows.day, check(times, 24 * HOUR, capAt('day')));
    const { activeHours, timezone } = me.settings.values;
    outsideActiveHours += times.filter((t) => !isActive(t, activeHours, timezone)).length;
    for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! < 4 * HOUR) gaps.push((times[i]! - times[i - 1]!) / 1000);
  }
  all.sort((a, b) => a - b);
  windows.packageDay = check(all, 24 * HOUR, () => packageDailyTotal);
  gaps.sort((a, b) => a - b);
  return { sends, windows, outsideActiveHours, medianGapSeconds: gaps[gaps.length >> 1] ?? 0 };
}

async function main() {
  const [profiles, days, recipients] = process.argv.slice(2).map(Number) as [number, number, number];
  const s = scenario(profiles, days, recipients);
  const world = buildWorld(s);
  const setup = await createSimulationDatabase(s, world);
  try {
    const governor = new MemoryGovernor();
    const plan = await planDistribution(s, world, setup, governor);
    const started = performance.now();
    const run = await runChorus(s, world, setup, governor, plan);
    const wallMs = performance.now() - started;

    const naive = await runNaive(s, world, plan);
    const result: PacedResult = { profiles, days, recipients, wallMs, chorus: checks(s.package.dailyTotal!, setup, run), naive: checks(s.package.dailyTotal!, setup, naive) };
    process.send?.(result);
  } finally {
    await setup.db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
