import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * What the benchmarks share: option parsing, number formatting, the machine line, running one mode
 * in a child process, and a throw-away PostgreSQL database. Not a `*.bench.ts`: bench/run.ts does
 * not list it.
 */

const here = path.dirname(fileURLToPath(import.meta.url));

/** The value after `--name` on the command line, if given. */
export function opt(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** `--name N` as a positive number (`fallback` when absent); anything else is refused. */
export function positiveOpt(args: string[], name: string, fallback: number): number {
  if (!args.includes(`--${name}`)) return fallback;
  const value = Number(opt(args, name));
  if (!(value > 0)) throw new Error(`--${name} takes a positive number`);
  return value;
}

/** A number with thousands separators and exactly `digits` decimals. */
export const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** "machine: CPUs × model, memory, Node version", the first line of every benchmark's output. */
export const machine = () => `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}`;

/**
 * Runs `bench/<script>` with `args` in its own process (its memory and CPU are its own) and resolves
 * with the figures it sends over IPC; rejects when it exits without them. `label` names it in errors.
 */
export function runChild<T>(script: string, label: string, args: string[], nodeArgs: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(here, script), ...args], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: T | null = null;
    child.on('message', (m) => (result = m as T));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`${label} benchmark exited with ${code}`))));
  });
}

/** The PostgreSQL server the benchmarks create their databases on (BENCH_DATABASE_URL). */
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** One statement on the admin database, on a connection of its own. */
export async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** A fresh, empty database for one benchmark run: its name, URL, and how to drop it. */
export async function createBenchDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `chorus_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
