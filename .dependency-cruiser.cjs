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
