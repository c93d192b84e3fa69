import type { PeriodReport, RunReport, SimulationReport, WindowStat } from './report.ts';

/** The simulation report as plain text for a terminal: one table per run, then what it means. */

const number = (n: number) => n.toLocaleString('en-US');

/** "4.0 s", "14m 36s", "5h 02m": short enough for a column, exact enough to compare. */
function span(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const window = (w: WindowStat) => `${w.max}/${w.cap}${w.max > w.cap ? ' !' : ''}`;

const COLUMNS = [
  'profile',
  'day',
  'sent',
  'tried',
  '1h max/cap',
  '3h max/cap',
  '24h max/cap',
  'over cap',
  'off-hours',
  'gap min',
  'median',
  'p95',
  'cv',
  'delivered',
  'read',
  'replied',
  'opt-outs',
  'warnings',
  'bans',
];
/** Columns of text; the rest are right-aligned numbers. */
const TEXT_COLUMNS = 2;

function cells(name: string, day: string, p: PeriodReport): string[] {
  const g = p.gaps;
  return [
    name,
    day,
    number(p.sends),
    number(p.attempts),
    window(p.windows.hour),
    window(p.windows.threeHours),
    window(p.windows.day),
    number(p.violations),
    number(p.outsideActiveHours),
    g ? span(g.minSeconds) : '–',
    g ? span(g.medianSeconds) : '–',
    g ? span(g.p95Seconds) : '–',
    g ? g.cv.toFixed(2) : '–',
    number(p.delivered),
    number(p.read),
    number(p.replied),
    number(p.optOuts),
    number(p.warnings),
    number(p.bans),
  ];
}

function table(rows: string[][]): string[] {
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < TEXT_COLUMNS ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** Days with nothing sent, tried or heard back are left out; every profile ends with its row for the whole run. */
function runTable(r: RunReport): string[] {
  const rows: string[][] = [];
  for (const p of r.profiles) {
    for (const d of p.days) {
      const quiet = d.attempts === 0 && d.delivered + d.read + d.replied + d.failed + d.warnings + d.bans === 0;
      if (!quiet) rows.push(cells(p.name, String(d.day), d));
    }
    rows.push(cells(p.name, 'all', p.total));
  }
  rows.push(cells('all profiles', 'all', r.totals));
  const atTheEnd = r.profiles.flatMap((p) => {
    const notes = [
      ...(p.final && p.final.state !== 'healthy' ? [p.final.summary] : []),
      ...(p.unsent > 0 ? [`${number(p.unsent)} of its ${number(p.assigned)} recipients not reached${p.lastWait ? `: ${p.lastWait}` : ''}.`] : []),
    ];
    return notes.length > 0 ? [`  ${p.name}: ${notes.join(' ')}`] : [];
  });
  return [`${r.label}: ${r.description}`, '', ...table(rows), ...(atTheEnd.length > 0 ? ['', 'At the end:', ...atTheEnd] : [])];
}

export function formatReport(report: SimulationReport): string {
  const s = report.scenario;
  return [
    `Scenario: ${s.profiles} profiles, ${s.days} day${s.days === 1 ? '' : 's'} from ${s.start}, ${number(s.recipients)} recipients, strategy ${s.strategy}, seed "${s.seed}"` +
      `${s.packageDailyTotal === null ? '' : `, package daily total ${number(s.packageDailyTotal)}`}, at most ${s.maxConcurrentSends} sending at once.`,
    `Distribution: ${report.distribution.explanation}${report.distribution.unassigned > 0 ? ` (${number(report.distribution.unassigned)} recipients could not be assigned)` : ''}.`,
    'Windows count the sends WhatsApp accepted, as the governor does; "!" marks a window over its cap. Gaps are between consecutive sends of a profile.',
    '',
    ...runTable(report.chorus),
    '',
    ...runTable(report.naive),
    '',
    ...report.summary,
  ].join('\n');
}
