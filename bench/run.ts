import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench -- <name> [options]` runs `bench/<name>.bench.ts`. Each benchmark module exports
 * `run(args)`, prints its figures with the raw baselines measured in the same run, and exits non-zero
 * when it could not run. Add a benchmark by adding a file: nothing to register.
 */
export interface BenchModule {
  description: string;
  run(args: string[]): Promise<void>;
}

const dir = path.dirname(fileURLToPath(import.meta.url));
const available = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [options]`);
  for (const n of available) {
    const mod = (await import(`./${n}.bench.ts`)) as BenchModule;
    console.error(`  ${n.padEnd(10)} ${mod.description}`);
  }
  process.exit(name ? 1 : 0);
}
const mod = (await import(`./${name}.bench.ts`)) as BenchModule;
await mod.run(args);
