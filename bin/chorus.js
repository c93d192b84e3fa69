#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx so that `npm start` needs no compile step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
