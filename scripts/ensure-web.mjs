// Builds the dashboard when web/dist is missing or older than its sources, so `npm start` and
// `npm test` work on a fresh clone without a separate build step.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'web/dist/index.html');

function newest(dir) {
  let t = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const sources = [path.join(root, 'web/src'), path.join(root, 'web/index.html'), path.join(root, 'src/http/schemas'), path.join(root, 'src/domain')];
const srcTime = Math.max(...sources.filter((p) => fs.existsSync(p)).map((p) => (fs.statSync(p).isDirectory() ? newest(p) : fs.statSync(p).mtimeMs)));
if (!fs.existsSync(dist) || fs.statSync(dist).mtimeMs < srcTime) {
  console.log('Building the dashboard (web/dist)…');
  execSync('npx vite build --config web/vite.config.ts', { cwd: root, stdio: 'inherit' });
}
