import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { ChildResult } from './import.child.ts';
import { fmt, machine, opt, runChild } from './common.ts';

/**
 * `npm run bench -- import [--rows N] [--modes postgres,pglite] [--list new,none] [--heap MB|0] [--keep]`
 * Generates a CSV (10 columns, 5% invalid phones, 2% duplicates), imports it through the real path
 * (upload + inspection, then the service function the `import.run` worker calls) on a fresh
 * PostgreSQL database and on a file PGlite, each in its own process, and compares with a raw COPY
 * of the same file into a bare table measured in the same run.
 */
export const description = 'Contact import of a generated CSV (default 1,000,000 rows) vs raw COPY, PostgreSQL and PGlite';

/** Small deterministic PRNG (mulberry32): the same file every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PREFIXES = ['811', '812', '813', '821', '822', '823', '852', '853', '857', '858', '877', '878', '895', '896', '897', '898', '899'];
const FIRST = ['Budi', 'Siti', 'Andi', 'Dewi', 'Agus', 'Rina', 'José', 'María', 'Nguyễn', 'Ayu', 'Putri', 'Rizky', 'Joko', 'Wati'];
const LAST = ['Santoso', 'Aminah', 'Wijaya', 'Pratama', 'Peña', 'Núñez', 'Lestari', 'Saputra', 'Hidayat', 'Kusuma'];
const CITIES = ['Jakarta', 'Bandung', 'Surabaya', 'Medan', 'Depok', 'Bogor', 'Makassar', 'Denpasar', 'Yogyakarta', 'Semarang'];
const CONSENT = ['yes', 'no', 'ya', 'tidak', '', '1', '0', 'opt-in'];
const PLANS = ['free', 'silver', 'gold', 'platinum'];
const INVALID = ['12345', 'n/a', '0812-34', 'call me', '', '+1 555 0100', '0000000'];

/** The national number of contact i: unique per i, always a valid Indonesian mobile. */
function national(i: number) {
  const p = PREFIXES[i % PREFIXES.length]!;
  return `${p}${String(10_000_000 + Math.floor(i / PREFIXES.length)).slice(-8)}`;
}

/** The ways people write the same number. */
function formatted(n: string, style: number) {
  switch (style % 4) {
    case 0:
      return `0${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`;
    case 1:
      return `+62 ${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
    case 2:
      return `62${n}`;
    default:
      return `0${n}`;
  }
}

export async function generateCsv(file: string, rows: number): Promise<{ invalid: number; duplicates: number; bytes: number }> {
  const rnd = prng(20240305);
  const out = fs.createWriteStream(file);
  let chunk = 'phone,name,email,city,consent,plan,amount,joined,notes,ref\n';
  let invalid = 0;
  let duplicates = 0;
  let unique = 0;
  for (let i = 0; i < rows; i++) {
    const r = rnd();
    let phone: string;
    let who: number;
    if (r < 0.05) {
      invalid++;
      phone = INVALID[i % INVALID.length]!;
      who = i;
    } else if (r < 0.07 && unique > 0) {
      duplicates++;
      who = Math.floor(rnd() * unique);
      phone = formatted(national(who), i);
    } else {
      who = unique++;
      phone = formatted(national(who), i);
    }
    const first = FIRST[who % FIRST.length]!;
    const last = LAST[(who >> 3) % LAST.length]!;
    const note = i % 9 === 0 ? `"Call after 5pm, ask for ${first}"` : i % 13 === 0 ? 'VIP' : '';
    chunk +=
      `${phone},${first} ${last},${first.toLowerCase()}.${who}@example.com,${CITIES[who % CITIES.length]},${CONSENT[i % CONSENT.length]},` +
      `${PLANS[who % PLANS.length]},${(who % 100_000) / 100},2024-${String((who % 12) + 1).padStart(2, '0')}-${String((who % 28) + 1).padStart(2, '0')},` +
      `${note},R${String(i).padStart(7, '0')}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return { invalid, duplicates, bytes: fs.statSync(file).size };
}

const perSecond = (rows: number, ms: number) => (rows / ms) * 1000;

export async function run(args: string[]): Promise<void> {
  const rows = Number(opt(args, 'rows') ?? 1_000_000);
  const modes = (opt(args, 'modes') ?? 'postgres,pglite').split(',');
  const lists = (opt(args, 'list') ?? 'new,none').split(',');
  // V8 lets garbage pile up to hundreds of MB when memory is plentiful; import workers are meant
  // to run with a heap cap (NODE_OPTIONS=--max-old-space-size=256). 0 = V8's default.
  const heapMb = Number(opt(args, 'heap') ?? 256);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-import-'));
  const csv = path.join(dir, 'contacts.csv');
  try {
    console.log(`${machine()}; heap cap ${heapMb > 0 ? `${heapMb} MB` : 'V8 default'}`);
    const started = Date.now();
    const gen = await generateCsv(csv, rows);
    const expected = { rejected: gen.invalid, skipped: gen.duplicates, imported: rows - gen.invalid - gen.duplicates };
    console.log(
      `generated ${fmt(rows)} rows, ${fmt(gen.bytes / 2 ** 20, 1)} MB in ${fmt((Date.now() - started) / 1000, 1)} s: ` +
        `${fmt(gen.invalid)} invalid phones, ${fmt(gen.duplicates)} duplicates → expect ${fmt(expected.imported)} imported`,
    );
    const results: ChildResult[] = [];
    for (const mode of modes) for (const list of lists) {
      console.log(`\n[${mode}] importing ${list === 'new' ? 'into a new list' : 'without a target list'}…`);
      const heap = heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : [];
      const r = await runChild<ChildResult>('import.child.ts', mode, [mode, csv, list], heap);
      results.push(r);
      const ok = r.counts.imported === expected.imported && r.counts.rejected === expected.rejected && r.counts.skipped === expected.skipped;
      const rate = perSecond(r.rows, r.importMs);
      const copyRate = r.copyMs ? perSecond(r.rows, r.copyMs) : null;
      const t = r.timings;
      console.log(
        [
          `  import        ${fmt(r.importMs / 1000, 1)} s → ${fmt(rate)} rows/s, peak RSS ${fmt(r.peakRssMb)} MB (${fmt(r.startRssMb)} MB before the job)`,
          `  CPU per row   ${fmt(r.cpuUsPerRow.node, 1)} µs in this process${r.mode === 'pglite' ? ' (PGlite included)' : ''}` +
            (r.cpuUsPerRow.server === null ? '' : `, ${fmt(r.cpuUsPerRow.server, 1)} µs in the PostgreSQL server`),
          `  counts        imported ${fmt(r.counts.imported)}, updated ${fmt(r.counts.updated)}, skipped ${fmt(r.counts.skipped)}, rejected ${fmt(r.counts.rejected)} ${ok ? '(as expected)' : '(UNEXPECTED)'}`,
          `  raw COPY      ${copyRate ? `${fmt(r.copyMs! / 1000, 1)} s → ${fmt(copyRate)} rows/s; import = ${fmt((rate / copyRate) * 100)}% of COPY` : 'not measured'} (${r.copyNote})`,
          `  upload        ${fmt(r.uploadMs / 1000, 1)} s (store, detect, count rows) before the job`,
          `  time in job   reading+parsing ${fmt(t.readMs / 1000, 1)} s, rows (phones, fields, duplicates) ${fmt(t.rowMs / 1000, 1)} s, ` +
            `waiting for the database ${fmt(t.waitMs / 1000, 1)} s; batch transactions ${fmt(t.writeMs / 1000, 1)} s (overlapping)`,
          `  alone         parse only ${fmt(perSecond(r.rows, r.parseOnlyMs))} rows/s; parse + rows ${fmt(perSecond(r.rows, r.parseAndRowsMs))} rows/s`,
        ].join('\n'),
      );
      if (!ok) process.exitCode = 1;
    }
    console.log('\n' + JSON.stringify({ rows, bytes: gen.bytes, results }));
  } finally {
    if (args.includes('--keep')) console.log(`file kept: ${csv}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}
