import os from 'node:os';
import type { ChildResult } from './dispatch.child.ts';
import type { PacedResult } from './dispatch-paced.child.ts';
import { fmt, machine, opt, positiveOpt, runChild } from './common.ts';

/**
 * `npm run bench -- dispatch [--messages N] [--profiles P] [--noop-jobs J] [--modes unpaced,paced]`
 * Unpaced: P simulator profiles (default 20) that answer at once, pacing off at 1,000 messages a
 * second each, one package; N queued messages (default 200,000) go through the whole scaled path —
 * `profile.drain` jobs on BullMQ/Redis, claim, the Redis governor, the transport, the batched
 * results, receipts and counters in PostgreSQL — timed from the kicks until every message is at
 * least `sent`, then `read`; compared with raw BullMQ no-op job throughput measured in the same run.
 * Paced: see bench/dispatch-paced.child.ts.
 */
export const description = 'Dispatch: 200,000 messages through the unpaced path vs raw BullMQ; paced limits on a virtual clock';

const perSecond = (n: number, ms: number) => (n / ms) * 1000;

export async function run(args: string[]): Promise<void> {
  const messages = positiveOpt(args, 'messages', 200_000);
  const profiles = positiveOpt(args, 'profiles', 20);
  const noopJobs = positiveOpt(args, 'noop-jobs', 50_000);
  const modes = (opt(args, 'modes') ?? 'unpaced,paced').split(',');
  console.log(machine());
  const out: Record<string, unknown> = {};
  if (modes.includes('unpaced')) {
    console.log(`\n[unpaced] ${fmt(profiles)} profiles, ${fmt(messages)} messages, PostgreSQL + Redis…`);
    const profileDir = opt(args, 'profile');
    const r = await runChild<ChildResult>('dispatch.child.ts', 'unpaced', [String(messages), String(profiles), String(noopJobs), profileDir ?? '']);
    out.unpaced = r;
    const noopRate = perSecond(r.noop.jobs, r.noop.ms);
    const sentRate = perSecond(r.messages, r.sentMs);
    const ok = r.statuses.read === r.messages && r.stats.sent === r.messages && r.stats.read === r.messages && r.attempts.max === 1;
    const cpu = r.cpuMs;
    const cpuPer = (ms: number | null) => (ms === null ? 'n/a' : `${fmt((ms * 1000) / r.messages, 1)} µs`);
    console.log(
      [
        `  raw BullMQ    ${fmt(r.noop.jobs)} no-op jobs, concurrency ${r.noop.concurrency}: ${fmt(noopRate)} jobs/s`,
        `  all sent      ${fmt(r.sentMs / 1000, 1)} s → ${fmt(sentRate)} messages/s = ${fmt((sentRate / noopRate) * 100)}% of raw BullMQ; ` +
          `${fmt(perSecond(0.8 * r.messages, r.ninetiethMs - r.tenthMs))} messages/s from 10 % (at ${fmt(r.tenthMs / 1000, 1)} s) to 90 % (at ${fmt(r.ninetiethMs / 1000, 1)} s)`,
        `  all read      ${fmt(r.receiptsMs / 1000, 1)} s → ${fmt(perSecond(r.messages, r.receiptsMs))} messages/s (results, 3 receipts each, counters)`,
        `  last accepted ${fmt(r.lastAcceptedMs / 1000, 1)} s (the simulator took the last message; the rest is writing what came back)`,
        `  CPU / message process ${cpuPer(cpu.node)}, PostgreSQL ${cpuPer(cpu.postgres)}, Redis ${cpuPer(cpu.redis)} (kicks to all read)`,
        `  machine       ${fmt(cpu.machine / r.wallMs, 2)} of ${os.cpus().length} cores busy, ${fmt(Math.max(0, cpu.machine - cpu.node - (cpu.postgres ?? 0) - (cpu.redis ?? 0)) / r.wallMs, 2)} ` +
          `of them by everything else (other work, PostgreSQL's own processes, the kernel)`,
        `  checks        statuses ${JSON.stringify(r.statuses)}; profile_stats sent ${fmt(r.stats.sent)}, delivered ${fmt(r.stats.delivered)}, ` +
          `read ${fmt(r.stats.read)}, failed ${fmt(r.stats.failed)}; attempts ${r.attempts.min}–${r.attempts.max} ${ok ? '(as expected)' : '(UNEXPECTED)'}`,
      ].join('\n'),
    );
    const calls = Object.entries(r.redisCalls).sort((a, b) => b[1] - a[1]);
    console.log(`  Redis calls   ${calls.map(([k, n]) => `${k} ${fmt(n / r.messages, 2)}`).join(', ')} per message (whole server)`);
    if (r.sql) {
      console.log('  statements while sending (count per 1,000 messages, wall ms per message):');
      for (const [k, t] of Object.entries(r.sql).sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) {
        console.log(`    ${fmt((t.n * 1000) / r.messages, 1).padStart(8)} ${fmt(t.ms / r.messages, 3).padStart(8)}  ${k}`);
      }
    }
    if (!ok) process.exitCode = 1;
  }
  if (modes.includes('paced')) {
    const paced = { profiles: positiveOpt(args, 'paced-profiles', 20), days: positiveOpt(args, 'days', 3), recipients: positiveOpt(args, 'recipients', 6000) };
    console.log(`\n[paced] ${fmt(paced.profiles)} profiles, human pacing, small limits, ${paced.days} simulated days, ${fmt(paced.recipients)} recipients, PGlite + in-memory governor…`);
    const r = await runChild<PacedResult>('dispatch-paced.child.ts', 'paced', [String(paced.profiles), String(paced.days), String(paced.recipients)]);
    out.paced = r;
    const line = (name: string, c: PacedResult['chorus']['windows']['hour']) => `${name} ${fmt(c.violations)} (fullest ${fmt(c.max)} / cap ${fmt(c.cap)})`;
    const violations = (c: PacedResult['chorus']) => c.windows.hour.violations + c.windows.threeHours.violations + c.windows.day.violations + c.windows.packageDay.violations;
    const describe = (label: string, c: PacedResult['chorus']) => [
      `  ${label.padEnd(13)} ${fmt(c.sends)} sends, median gap ${fmt(c.medianGapSeconds)} s, ${fmt(c.outsideActiveHours)} outside active hours`,
      `  ${''.padEnd(13)} violations: ${line('1 h', c.windows.hour)}, ${line('3 h', c.windows.threeHours)}, ${line('24 h', c.windows.day)}; ${line('package 24 h', c.windows.packageDay)}`,
    ];
    const ok = violations(r.chorus) === 0 && r.chorus.outsideActiveHours === 0;
    console.log(
      [
        ...describe('Chorus', r.chorus),
        `  ${''.padEnd(13)} ${fmt(r.wallMs / 1000, 1)} s of wall time; ${ok ? 'no limit violated (target: 0)' : 'LIMITS VIOLATED'}`,
        ...describe('naive blaster', r.naive),
        `  ${''.padEnd(13)} (the same counts over a fixed-delay sender on the same recipients: the counting does find violations)`,
      ].join('\n'),
    );
    if (!ok) process.exitCode = 1;
  }
  console.log('\n' + JSON.stringify(out));
}
