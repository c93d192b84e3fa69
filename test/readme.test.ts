import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configDocs } from '../src/config.ts';

describe('README', () => {
  const readme = fs.readFileSync('README.md', 'utf8');
  it('documents every configuration variable with its current description', () => {
    for (const [key, doc] of Object.entries(configDocs)) {
      expect(readme).toContain(`| \`${key}\` |`);
      expect(readme).toContain(doc);
    }
  });
});
