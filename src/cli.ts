import { Command } from 'commander';
import { ConfigError, configDocs, loadConfig } from './config.ts';
import { createContainer, type Container } from './container.ts';
import { buildApp } from './http/app.ts';
import { startWorkers } from './workers/index.ts';
import { simulateCommand, type SimulateCommandOptions } from './services/simulate/simulate.service.ts';
import { ScenarioError } from './services/simulate/scenario.ts';

type Role = 'start' | 'api' | 'worker';

/** Runs a process role until SIGTERM/SIGINT, then stops taking work, lets in-flight work finish and closes. */
async function run(role: Role, port?: number) {
  const config = loadConfig();
  if (role !== 'start' && config.mode === 'embedded') {
    throw new ConfigError(
      `'chorus ${role}' runs a separate process role, which needs DATABASE_URL and REDIS_URL; without them run 'chorus start' (everything in one process).`,
    );
  }
  const c: Container = await createContainer(config);
  const app = role === 'worker' ? null : await buildApp(c);
  if (role !== 'api') startWorkers(c);
  if (app) {
    await app.listen({ port: port ?? config.PORT, host: config.HOST });
  }
  c.log.info(
    { role, mode: config.mode, database: c.db.kind, queues: c.queues.backend },
    role === 'worker' ? 'chorus worker running' : `chorus ${role} listening on http://localhost:${port ?? config.PORT}`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    c.log.info({ signal }, 'shutting down: no new requests or jobs, finishing those in flight');
    const force = setTimeout(() => {
      c.log.error('shutdown took longer than 30 s, exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    try {
      if (app) await app.close();
      await c.close();
      process.exit(0);
    } catch (err) {
      c.log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

const program = new Command('chorus').description('Chorus: self-hosted WhatsApp campaign and broadcast engine');

program
  .command('start')
  .description('API, dashboard and every worker in one process (the embedded default)')
  .option('-p, --port <port>', 'HTTP port', (v) => Number(v))
  .action((o: { port?: number }) => run('start', o.port));
program
  .command('api')
  .description('HTTP API, WebSocket hub and dashboard only (scaled mode)')
  .option('-p, --port <port>', 'HTTP port', (v) => Number(v))
  .action((o: { port?: number }) => run('api', o.port));
program.command('worker').description('Queue workers only (scaled mode)').action(() => run('worker'));
program
  .command('migrate')
  .description('Apply database migrations and exit')
  .action(async () => {
    const c = await createContainer(loadConfig());
    c.log.info('migrations applied');
    await c.close();
  });
/** Settings that hold credentials: `chorus config` says whether they are set, never what they are. */
const SECRET_SETTINGS = new Set(['SECRET_KEY', 'DATABASE_URL', 'REDIS_URL', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']);

program
  .command('config')
  .description('Show the configuration settings and their current values')
  .action(() => {
    const cfg = loadConfig();
    for (const [key, doc] of Object.entries(configDocs)) {
      const value = SECRET_SETTINGS.has(key)
        ? (cfg[key as keyof typeof cfg] ? '(set)' : '(unset)')
        : String(cfg[key as keyof typeof cfg] ?? '');
      console.log(`${key.padEnd(22)} ${value.padEnd(14)} ${doc}`);
    }
    console.log(`\nmode: ${cfg.mode}`);
  });

program
  .command('simulate')
  .description('Replay a campaign on a virtual clock through Chorus and through a naive blaster, and compare them (docs/simulator.md)')
  .option('--scenario <file>', 'a JSON scenario; flags override its values')
  .option('--profiles <n>', 'how many profiles (default 20)', (v) => Number(v))
  .option('--days <n>', 'how many days to simulate (default 7)', (v) => Number(v))
  .option('--recipients <n>', 'how many recipients (default 10000)', (v) => Number(v))
  .option('--strategy <name>', 'round_robin, random, weighted or smart (default smart)')
  .option('--seed <text>', 'same seed, same report (default chorus)')
  .option('--naive-delay <seconds>', "the naive blaster's fixed delay between sends (default 10)", (v) => Number(v))
  .option('--json', 'print the report as JSON')
  .action(async (o: SimulateCommandOptions) => {
    const started = performance.now();
    try {
      console.log(await simulateCommand(o));
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      console.error(err.message);
      process.exit(2);
    }
    console.error(`simulated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
