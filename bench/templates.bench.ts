import Handlebars from 'handlebars';
import { Liquid, type Template } from 'liquidjs';
import { compileTemplate, parseTemplate, variableKeys, type CompiledTemplate, type RenderResult, type TemplateValues } from '../src/domain/template.ts';
import { seededRandom } from '../src/domain/seeded-random.ts';
import { fmt, machine, positiveOpt } from './common.ts';

/**
 * `npm run bench -- templates [--renders N] [--seconds S] [--runs R]`
 * Renders the same messages with our template language, Handlebars (compiled, `noEscape`, fallback
 * through a `default` helper) and LiquidJS (parsed once, `renderSync`, `default` filter) for
 * recipients with varying values, a quarter of them without a city so the fallback is used. Each
 * run renders N recipients per engine (or stops after S seconds, LiquidJS is slow); engines take
 * turns within a run, and the figures are the median of R runs after one warm-up run. Before
 * timing, every engine renders every recipient and the texts must be identical, so the templates
 * are known to be equivalent. Spintax has no equivalent elsewhere: ours is timed alone, with a
 * fresh seeded stream per recipient as campaigns do.
 */
export const description = 'Template rendering: ours vs Handlebars and LiquidJS (short, 1 KB, spintax)';

type Render = (values: TemplateValues, index: number) => string;

interface Engine {
  name: string;
  render: Render;
  /** Another library: its texts must equal ours, and ours is compared with its speed. */
  rival?: boolean;
}

const FIRST = ['Budi', 'Siti', 'Andi', 'Dewi', 'José', 'María', 'Nguyễn', 'Ayu', 'Putri', 'Rizky', 'Joko', 'Wati'];
const CITIES = ['Jakarta', 'Bandung', 'Surabaya', 'Medan', 'Depok', 'Makassar', 'Denpasar', 'Yogyakarta'];
const PLANS = ['free', 'silver', 'gold', 'platinum'];

/**
 * 4,096 recipients with varying values, the same every run. Through JSON, as values come from the
 * database (jsonb fields): flat strings, and absent keys rather than undefined ones.
 */
function recipients(): TemplateValues[] {
  const list = Array.from({ length: 4096 }, (_, i) => ({
    name: `${FIRST[i % FIRST.length]} ${String.fromCharCode(65 + (i % 26))}.`,
    phone: `+62812${String(10_000_000 + i * 7919).slice(-8)}`,
    city: i % 4 === 3 ? (i % 8 === 3 ? '' : undefined) : CITIES[(i >> 2) % CITIES.length],
    order_id: `INV-${2024_0000 + i}`,
    plan: PLANS[i % PLANS.length],
    amount: 10_000 + ((i * 37) % 900) * 1000,
    due_date: `2026-12-${String(1 + (i % 28)).padStart(2, '0')}`,
    agent: FIRST[(i * 5) % FIRST.length],
    points: (i * 13) % 5000,
    store: `${CITIES[(i * 3) % CITIES.length]} ${1 + (i % 9)}`,
    courier: i % 2 ? 'JNE' : 'SiCepat',
    tracking: `TRK${100_000 + i}`,
    discount: `${5 + (i % 4) * 5}%`,
    voucher: i % 5 === 0 ? undefined : `SAVE${i % 100}`,
    last_item: `item #${i % 300}`,
  }));
  return JSON.parse(JSON.stringify(list)) as TemplateValues[];
}

/** One message written in the three languages. `{v}` is a variable, `{v|text}` one with a fallback. */
function dialects(message: string) {
  const rewrite = (variable: (key: string) => string, fallback: (key: string, text: string) => string) =>
    message.replace(/\{(\w+)(?:\|([^}]*))?\}/g, (_, key: string, text?: string) => (text === undefined ? variable(key) : fallback(key, text)));
  return {
    ours: rewrite((k) => `{{${k}}}`, (k, t) => `{{${k} | '${t}'}}`),
    handlebars: rewrite((k) => `{{${k}}}`, (k, t) => `{{default ${k} "${t}"}}`),
    liquid: rewrite((k) => `{{ ${k} }}`, (k, t) => `{{ ${k} | default: "${t}" }}`),
  };
}

const SHORT = "Hi {name}, your order {order_id} ships to {city|your city} today.";

const LONG = [
  'Hello {name},',
  '',
  'Thank you for shopping with us. Your order {order_id} for Rp {amount} has been packed at our {store} store and handed to {courier}; you can follow it with tracking number {tracking}. It should reach {city|your city} within two working days. Payment is due on {due_date}; if you have already paid, please ignore this reminder.',
  '',
  'As a {plan} member you now hold {points} points. Your next purchase gets {discount} off with voucher {voucher|WELCOME}, valid until the end of the month. The last item you looked at, {last_item}, is back in stock in {city|our stores} and at {store}.',
  '',
  'If anything is wrong with your order, reply to this message and {agent} will help you. We answer between 08:00 and 20:00, Monday to Saturday. You can also call us from {phone} and quote {order_id}.',
  '',
  'Warm regards,',
  '{agent|The team}',
].join('\n');

/** Campaigns seed each recipient's stream with `${campaignId}:${contactId}`. */
const CAMPAIGN = '0190a5c4-7d1e-7000-8000-00000000beef';

const SPINTAX =
  "{Hi|Hello|Hey} {{name}}, {your order|order} {{order_id}} {ships|is on its way|leaves today} to {{city | 'your city'}} {today|this afternoon|{soon|shortly}}.";

function engines(message: string): Engine[] {
  const d = dialects(message);
  const hb = Handlebars.create();
  hb.registerHelper('default', (value: unknown, fallback: unknown) => (value == null || String(value).trim() === '' ? fallback : value));
  const handlebars = hb.compile(d.handlebars, { noEscape: true });
  const liquid = new Liquid();
  const liquidTemplate: Template[] = liquid.parse(d.liquid);
  const ours = compile(d.ours);
  const random = seededRandom('not used: no spintax');
  return [
    { name: 'ours', render: (v) => text(ours.render(v, random)) },
    { name: 'Handlebars', render: (v) => handlebars(v), rival: true },
    { name: 'LiquidJS', render: (v) => liquid.renderSync(liquidTemplate, v) as string, rival: true },
  ];
}

/** What a case holds, for its title. */
function shape(source: string): string {
  const parsed = parseTemplate(source);
  const fallbacks = parsed.variables.filter((v) => v.fallback !== null).length;
  return `${source.length} chars, ${variableKeys(parsed).length} variables, ${fallbacks} with a fallback`;
}

function compile(source: string): CompiledTemplate {
  const parsed = parseTemplate(source);
  if (parsed.errors.length > 0) throw new Error(`bench template: ${parsed.errors[0]!.message}`);
  return compileTemplate(parsed);
}

function text(result: RenderResult): string {
  if (!result.ok) throw new Error(`bench render: ${result.reason}`);
  return result.text;
}

/**
 * Renders per second of CPU time (this process, garbage collection included) for one engine over
 * `limit` recipients or `seconds` of wall time, whichever ends first. CPU time, because other
 * work on a shared machine disturbs it far less than wall time.
 */
function measure(render: Render, values: TemplateValues[], limit: number, seconds: number): number {
  const deadline = performance.now() + seconds * 1000;
  let chars = 0;
  let n = 0;
  const start = process.cpuUsage();
  while (n < limit) {
    const stop = Math.min(limit, n + 1024);
    for (; n < stop; n++) chars += render(values[n & 4095]!, n).length;
    if (performance.now() > deadline) break;
  }
  const used = process.cpuUsage(start);
  if (chars === 0) throw new Error('nothing rendered');
  return n / ((used.user + used.system) / 1e6);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(args: string[]): Promise<void> {
  const limit = positiveOpt(args, 'renders', 1_000_000);
  const seconds = positiveOpt(args, 'seconds', 3);
  const runs = positiveOpt(args, 'runs', 5);
  const values = recipients();

  const spintax = compile(SPINTAX);
  const cases: { name: string; engines: Engine[] }[] = [
    { name: `short (${shape(dialects(SHORT).ours)})`, engines: engines(SHORT) },
    { name: `long (${shape(dialects(LONG).ours)})`, engines: engines(LONG) },
    {
      name: `spintax (${shape(SPINTAX)}, 6 groups; no equivalent elsewhere)`,
      engines: [
        { name: 'ours, a seed per recipient', render: (v, i) => text(spintax.render(v, seededRandom(`${CAMPAIGN}:${i}`))) },
        { name: 'of which seeding alone', render: (_v, i) => (seededRandom(`${CAMPAIGN}:${i}`)() < 1 ? '.' : '') },
      ],
    },
  ];

  console.log(machine());
  console.log(`${fmt(limit)} recipients per engine and run (or ${seconds} s), renders per CPU-second, median of ${runs} runs after a warm-up\n`);
  for (const c of cases) {
    const [first, ...others] = c.engines;
    const rivals = others.filter((e) => e.rival);
    for (const [i, v] of values.entries()) {
      const expected = first!.render(v, i);
      for (const e of rivals) {
        const got = e.render(v, i);
        if (got !== expected) {
          console.error(`${c.name}: ${e.name} differs from ours for recipient ${i}:\n${JSON.stringify(got)}\n${JSON.stringify(expected)}`);
          process.exit(1);
        }
      }
    }
    const rates = new Map<string, number[]>(c.engines.map((e) => [e.name, []]));
    for (let r = 0; r <= runs; r++) {
      for (const e of c.engines) {
        const rate = measure(e.render, values, limit, seconds);
        if (r > 0) rates.get(e.name)!.push(rate);
      }
    }
    console.log(c.name);
    const ours = median(rates.get(first!.name)!);
    for (const e of c.engines) {
      const xs = rates.get(e.name)!;
      const m = median(xs);
      const ratio = e.rival ? `  ours ÷ ${e.name} = ${(ours / m).toFixed(1)}×` : '';
      console.log(`  ${e.name.padEnd(26)} ${fmt(m).padStart(11)} /s  (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})${ratio}`);
    }
    console.log('');
  }
}
