/** Layering and cycles (architecture.md, "Layout and dependency rules"). */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'domain-is-pure',
      comment: 'src/domain has no I/O and imports nothing outside src/domain',
      severity: 'error',
      from: { path: '^src/domain', pathNot: '\\.test\\.ts$' },
      to: { pathNot: ['^src/domain', '^node_modules/(libphonenumber-js|zod)'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'services-not-http-or-workers',
      severity: 'error',
      from: { path: '^src/services' },
      to: { path: ['^src/http', '^src/workers', '^src/cli', 'node_modules/fastify', 'node_modules/@fastify'] },
    },
    {
      name: 'sql-only-in-db',
      comment: 'only src/db talks to the database driver',
      severity: 'error',
      from: { path: '^src/(services|http|workers|domain)' },
      to: { path: ['node_modules/pg/', 'node_modules/drizzle-orm', 'node_modules/@electric-sql'] },
    },
    {
      name: 'transports-isolated',
      severity: 'error',
      from: { path: '^src/transports' },
      to: { path: '^src/(db|queue|services|http|workers)' },
    },
    {
      name: 'governor-isolated',
      comment: 'src/governor knows domain and its Redis client only: no database, queues, services, HTTP or workers',
      severity: 'error',
      from: { path: '^src/governor' },
      to: { path: ['^src/(db|queue|services|http|workers|realtime|transports|storage)', '^src/(container|cli)\\.ts$'] },
    },
    {
      name: 'storage-isolated',
      comment: 'src/storage knows its SDKs only: no database, queues, services, HTTP, workers or wiring',
      severity: 'error',
      from: { path: '^src/storage' },
      to: { path: ['^src/(db|queue|services|http|workers|realtime|transports)', '^src/(container|cli)\\.ts$'] },
    },
    {
      name: 'storage-through-interface',
      comment: 'everything but the composition root uses the BlobStore interface, never a store or its SDK',
      severity: 'error',
      from: { path: '^src/(services|http|workers|domain|db|queue|transports)' },
      to: { path: ['^src/storage/(?!blob-store\\.ts$)', 'node_modules/@aws-sdk'] },
    },
    {
      name: 'only-container-and-cli-wire',
      severity: 'error',
      from: { path: '^src/(services|domain|db|transports)' },
      to: { path: '^src/(container|cli)\\.ts$' , dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
