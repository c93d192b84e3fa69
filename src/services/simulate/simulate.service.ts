import { readFile } from 'node:fs/promises';
import { durationWords } from '../../domain/pacing.ts';
import { MemoryGovernor, checksFor } from '../../governor/memory.governor.ts';
import { governorRule } from '../dispatch.service.ts';
import type { PackageForSending } from '../senders.service.ts';
import { createSimulationDatabase, planDistribution, runChorus, type RunOutcome } from './chorus-run.ts';
import { runNaive } from './naive-run.ts';
import { buildRunReport, type Caps, type RunReport, type SimulationReport } from './report.ts';
import { resolveScenario, ScenarioError, type Scenario, type ScenarioFlags } from './scenario.ts';
import { formatReport } from './table.ts';
import { buildWorld } from './world.ts';

/**
 * `chorus simulate` (docs/simulator.md, "Simulate"): replays a scenario on a virtual clock twice —
 * through Chorus's own dispatch path, and as a naive fixed-delay blaster on the same recipients
 * and the same network — and reports both side by side: the most sends in any 1 h, 3 h and 24 h
 * window against the caps, the gaps between sends, what came back, warnings and bans, and a few
 * sentences saying what it means. The same scenario and seed always give the same report.
 */

export async function runSimulation(s: Scenario): Promise<SimulationReport> {
  const world = buildWorld(s);
  const setup = await createSimulationDatabase(s, world);
  try {
    const governor = new MemoryGovernor();
    const plan = await planDistribution(s, world, setup, governor);
    const chorus = await runChorus(s, world, setup, governor, plan);
    const naive = await runNaive(s, world, plan);
    const assigned = new Map(plan.profiles.map((p) => [p.profileId, p.assigned]));
    const facts = (label: string, description: string, run: RunOutcome) =>
      buildRunReport({
        label,
        description,
        start: s.start,
        days: s.days,
        recipients: s.recipients,
        packageDailyTotal: s.package.dailyTotal,
        profiles: setup.pkg.profiles.map((me) => ({
          id: me.id,
          name: me.name,
          timezone: me.settings.values.timezone,
          activeHours: me.settings.values.activeHours,
          assigned: assigned.get(me.id) ?? 0,
          log: run.ledger.log(me.id),
          capsAt: capsOf(setup.pkg, me.id),
          final: run.final.get(me.id) ?? null,
          lastWait: run.lastWait.get(me.id) ?? null,
        })),
      });
    const chorusReport = facts('Chorus', `the dispatch engine: ${s.package.strategy} distribution, the governor's limits, active hours and human pacing`, chorus);
    const naiveReport = facts(
      'Naive blaster',
      `one message every ${s.naive.delaySeconds} s per profile from the start, day and night, ignoring limits and active hours`,
      naive,
    );
    return {
      scenario: {
        seed: s.seed,
        start: new Date(s.start).toISOString(),
        days: s.days,
        recipients: s.recipients,
        profiles: s.profiles.length,
        strategy: s.package.strategy,
        packageDailyTotal: s.package.dailyTotal,
        maxConcurrentSends: s.package.maxConcurrentSends,
        naiveDelaySeconds: s.naive.delaySeconds,
      },
      distribution: {
        explanation: plan.explanation,
        unassigned: plan.unassigned,
        shares: plan.profiles.map((p) => ({ profileId: p.profileId, name: p.name, assigned: p.assigned })),
      },
      chorus: chorusReport,
      naive: naiveReport,
      summary: [summarize(chorusReport), summarize(naiveReport), verdict(chorusReport, naiveReport)],
    };
  } finally {
    await setup.db.close();
  }
}

/** The caps the governor enforces for a profile at an instant (warm-up moves them day by day). */
function capsOf(pkg: PackageForSending, profileId: string): (at: number) => Caps {
  const me = pkg.profiles.find((p) => p.id === profileId)!;
  return (at) => {
    const cap = new Map(checksFor(governorRule(pkg, me, at).rule, at).map((c) => [c.reason, c.cap]));
    return { hour: cap.get('hour')!, threeHours: cap.get('three_hours')!, day: cap.get('day')! };
  };
}

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function dayRange(first: number | null, last: number | null): string {
  if (first === null || last === null) return '';
  return first === last ? ` on day ${first}` : ` on days ${first}–${last}`;
}

/** The window furthest over its cap, in words ("the hourly window up to 31 sends against a cap of 20"). */
function worstWindow(r: RunReport): string | null {
  const names = { hour: 'hourly', threeHours: '3-hour', day: '24-hour' } as const;
  let worst: { name: string; max: number; cap: number } | null = null;
  for (const [w, name] of Object.entries(names) as Array<[keyof typeof names, string]>) {
    const { max, cap } = r.totals.windows[w];
    if (max > cap && (!worst || max / cap > worst.max / worst.cap)) worst = { name, max, cap };
  }
  return worst && `the ${worst.name} window reached ${worst.max} sends against a cap of ${worst.cap}`;
}

function summarize(r: RunReport): string {
  const t = r.totals;
  const missing = r.profiles.reduce((a, p) => a + (p.final?.refused.recipient ?? 0), 0);
  const notReached = [...(missing > 0 ? [`${count(missing, 'number')} not on WhatsApp`] : []), ...(t.unsent > 0 ? [`${t.unsent.toLocaleString('en-US')} others not reached`] : [])];
  const reached = `${count(t.reached, 'recipient')} of ${t.recipients.toLocaleString('en-US')} reached${notReached.length > 0 ? ` (${notReached.join(', ')})` : ''}`;
  const when = t.lastSendAfterMs === null ? 'nothing was sent' : `the last send ${durationWords(t.lastSendAfterMs / 1000)} after the start`;
  const over = worstWindow(r);
  const harm =
    t.profilesBanned > 0
      ? `${t.profilesBanned} of ${t.profiles} profiles banned${dayRange(t.firstBanDay, t.lastBanDay)}`
      : t.profilesWarned > 0
        ? `no profile banned, ${t.profilesWarned} warned`
        : 'no profile warned or banned';
  return (
    `${r.label}: ${count(t.violations, 'limit violation')}, ${count(t.outsideActiveHours, 'send')} outside active hours, ` +
    `${count(t.warnings, 'warning')}, ${count(t.bans, 'ban')} (${harm}); ${reached}, ${when}${over ? `; ${over}` : ''}.`
  );
}

function verdict(chorus: RunReport, naive: RunReport): string {
  const c = chorus.totals;
  const n = naive.totals;
  const naiveHarm =
    n.profilesBanned > 0 ? `${count(n.profilesBanned, 'profile')} banned${dayRange(n.firstBanDay, n.lastBanDay)}` : n.profilesWarned > 0 ? `${count(n.profilesWarned, 'profile')} warned` : 'no profile warned or banned';
  return (
    `In short — Chorus: ${count(c.violations, 'limit violation')}, ${count(c.warnings, 'warning')}, ${count(c.bans, 'ban')}, ${c.reached.toLocaleString('en-US')} recipients reached; ` +
    `naive blaster: ${naiveHarm}, ${count(n.violations, 'send')} over a cap, ${n.reached.toLocaleString('en-US')} recipients reached.`
  );
}

export interface SimulateCommandOptions extends ScenarioFlags {
  /** Path of a JSON scenario file. */
  scenario?: string | undefined;
  json?: boolean | undefined;
}

/** `chorus simulate`: the scenario from the file and flags, run, as a table or JSON. Throws ScenarioError for a scenario that cannot run. */
export async function simulateCommand(o: SimulateCommandOptions): Promise<string> {
  let raw: unknown;
  if (o.scenario !== undefined) {
    let text: string;
    try {
      text = await readFile(o.scenario, 'utf8');
    } catch (err) {
      throw new ScenarioError([`${o.scenario} cannot be read: ${(err as Error).message}`]);
    }
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new ScenarioError([`${o.scenario} is not valid JSON: ${(err as Error).message}`]);
    }
  }
  const report = await runSimulation(resolveScenario(raw, o));
  return o.json ? JSON.stringify(report, null, 2) : formatReport(report);
}
