import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'data/', 'src/db/migrations/'] },
  js.configs.recommended,
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly', URL: 'readonly' } } },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Layering (architecture.md): domain is pure; services never see HTTP or BullMQ workers.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['../*', '!../domain/*'], message: 'src/domain imports only src/domain' },
        { group: ['node:fs', 'node:net', 'node:http', 'pg', 'bullmq', 'ioredis', 'fastify'], message: 'src/domain has no I/O' },
      ] }],
    },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['fastify', '@fastify/*', '../http/*'], message: 'services throw domain errors; only src/http knows HTTP' },
        { group: ['../workers/*'], message: 'services never depend on workers' },
      ] }],
    },
  },
);
