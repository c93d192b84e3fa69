import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The app serves web/dist; build it when it is missing or older than its sources. */
export default function setup() {
  const root = path.resolve(import.meta.dirname, '../..');
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  execFileSync(process.execPath, [path.join(root, 'scripts/ensure-web.mjs')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
