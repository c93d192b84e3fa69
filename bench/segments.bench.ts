import type { ChildResult } from './segments.child.ts';
import { fmt, machine, opt, runChild } from './common.ts';

/**
 * `npm run bench -- segments [--rows N] [--modes postgres,pglite] [--runs 7] [--keep]`
 * Generates N contacts (default 1,000,000) in one workspace plus a workspace of N/100, with custom
 * fields, labels, statuses, interactions and lists, on a fresh PostgreSQL database and on a file
 * PGlite (each in its own process), then times ten typical segment counts through `countMatching`
 * against the best statement written by hand for the same set, alternating the two, and checks
 * that both count the same. `--keep` keeps the PostgreSQL database for EXPLAIN sessions.
 */
export const description = 'Segment counts over 1,000,000 contacts: countMatching vs hand-written SQL, PostgreSQL and PGlite';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function run(args: string[]): Promise<void> {
  const rows = Number(opt(args, 'rows') ?? 1_000_000);
  const runs = Number(opt(args, 'runs') ?? 7);
  const modes = (opt(args, 'modes') ?? 'postgres,pglite').split(',');
  console.log(`${machine()}; ${fmt(rows)} contacts, ${runs} runs each`);
  const results: ChildResult[] = [];
  for (const mode of modes) {
    console.log(`\n[${mode}] loading…`);
    const r = await runChild<ChildResult>('segments.child.ts', mode, [mode, String(rows), String(runs), args.includes('--keep') ? 'keep' : '']);
    results.push(r);
    console.log(
      `  loaded in ${fmt(r.loadMs / 1000, 1)} s, indexes and ANALYZE ${fmt(r.indexMs / 1000, 1)} s; table ${fmt(r.tableMb)} MB; ` +
        r.indexes.map((i) => `${i.name} ${fmt(i.mb, 1)} MB`).join(', '),
    );
    console.log(`  ${'segment'.padEnd(44)} ${'count'.padStart(9)} ${'ours ms'.padStart(8)} ${'hand ms'.padStart(8)} ${'ratio'.padStart(6)}  plan (ours)`);
    for (const s of r.segments) {
      const [ours, hand] = [median(s.ours), median(s.hand)];
      console.log(`  ${s.name.padEnd(44)} ${fmt(s.count).padStart(9)} ${fmt(ours, 1).padStart(8)} ${fmt(hand, 1).padStart(8)} ${fmt(ours / hand, 2).padStart(6)}  ${s.plan}`);
    }
  }
  console.log('\n' + JSON.stringify({ rows, runs, results }));
}
