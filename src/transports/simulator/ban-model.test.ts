import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seededRandom } from '../../domain/seeded-random.ts';
import { BanModel, RISK_SIGNALS, type BanParams } from './ban-model.ts';
import { mergeSimulatorConfig, SIMULATOR_DEFAULTS, type SimulatorOverrides } from './config.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const OLD = -365 * DAY;

const params = (ban: SimulatorOverrides['ban'] = {}): BanParams => mergeSimulatorConfig(SIMULATOR_DEFAULTS, { ban }).ban;
const phone = (i: number) => `+62812${String(i).padStart(7, '0')}`;

const VOCABULARY = 'halo kak promo baru minggu ini ada diskon untuk produk pilihan kami silakan cek katalog terima kasih salam hangat dari tim toko jangan lupa mampir besok'.split(' ');
const variedText = (random: () => number) => Array.from({ length: 12 }, () => VOCABULARY[Math.floor(random() * VOCABULARY.length)]).join(' ');
const BLAST = 'PROMO BESAR! Diskon 50% hari ini saja, kunjungi toko kami sekarang juga.';

describe('BanModel', () => {
  it('warns, then bans, a naive blaster: the same text every 2 s to people who never answer', () => {
    const model = new BanModel(params(), OLD);
    let warnedAt: number | null = null;
    let bannedAt: number | null = null;
    for (let i = 0, t = 0; t < 2 * HOUR && bannedAt === null; i++, t += 2_000) {
      const { change } = model.observeSend(t, phone(i), BLAST);
      if (change?.type === 'warned') warnedAt ??= t;
      if (change?.type === 'banned') bannedAt = t;
    }
    expect(warnedAt).not.toBeNull();
    expect(bannedAt).not.toBeNull();
    expect(warnedAt!).toBeLessThan(bannedAt!);
    expect(bannedAt!).toBeLessThan(HOUR);
    const state = model.inspect(bannedAt!);
    expect(state.state).toBe('banned');
    expect(state.banReason).toMatch(/^risk reached 250 \(risk 25\d, mostly .*(many messages per minute|bursts of sends within seconds)/);
  });

  it('keeps a human-paced sender (about 20 an hour, varied texts) healthy for a week, even when nobody answers', () => {
    const model = new BanModel(params(), OLD);
    const random = seededRandom('human pace');
    let maxRisk = 0;
    let sends = 0;
    for (let t = 0; t < 7 * DAY; t += 3 * MINUTE * (0.5 + random()), sends++) {
      const { risk, change } = model.observeSend(t, phone(sends), variedText(random));
      expect(change).toBeNull();
      maxRisk = Math.max(maxRisk, risk);
    }
    expect(sends).toBeGreaterThan(3000);
    expect(maxRisk).toBeLessThan(SIMULATOR_DEFAULTS.ban.warningAt);
    expect(model.inspect(7 * DAY).state).toBe('healthy');
  });

  it('weighs identical texts at the same pace more than varied ones, and names them as the cause', () => {
    const run = (text: (random: () => number) => string) => {
      const model = new BanModel(params(), OLD);
      const random = seededRandom('compare');
      let t = 0;
      for (let i = 0; i < 100; i++, t += 3 * MINUTE) model.observeSend(t, phone(i), text(random));
      return model.inspect(t);
    };
    const varied = run(variedText);
    const same = run(() => 'Halo Kak, promo baru minggu ini: diskon 30% untuk produk pilihan.');
    expect(varied.contributions.similar).toBe(0);
    expect(same.contributions.similar).toBeGreaterThan(0);
    expect(same.risk).toBeGreaterThan(varied.risk);
    expect(same.summary).toMatch(/mostly near-identical texts/);
  });

  it('halves the risk every half-life without sends', () => {
    const model = new BanModel(params({ riskHalfLifeMs: 2 * HOUR }), OLD);
    for (let i = 0; i < 20; i++) model.observeSend(i * MINUTE, phone(i), `varied message ${'abcdefghijklmnopqrst'[i]!.repeat(12)}`);
    const at = 19 * MINUTE;
    const risk = model.riskAt(at);
    expect(risk).toBeGreaterThan(0);
    expect(model.riskAt(at + 2 * HOUR)).toBeCloseTo(risk / 2, 9);
    expect(model.riskAt(at + 6 * HOUR)).toBeCloseTo(risk / 8, 9);
    expect(model.inspect(at + 2 * HOUR).risk).toBeCloseTo(risk / 2, 9);
  });

  it('takes risk off for every message a customer sends, never below zero, and keeps the signal shares', () => {
    const model = new BanModel(params({ replyRelief: 5 }), OLD);
    for (let i = 0; i < 10; i++) model.observeSend(0, phone(i), BLAST);
    const before = model.inspect(0);
    model.observeReply(0, phone(1));
    const after = model.inspect(0);
    expect(after.risk).toBeCloseTo(before.risk - 5, 9);
    for (const s of RISK_SIGNALS) expect(after.contributions[s] / after.risk).toBeCloseTo(before.contributions[s] / before.risk, 9);
    for (let i = 0; i < 1000; i++) model.observeReply(0, phone(i));
    expect(model.riskAt(0)).toBe(0);
  });

  it('adds no unanswered-message risk for people who wrote to the number', () => {
    const model = new BanModel(params(), OLD);
    model.observeReply(0, phone(1));
    expect(model.hasAnswered(phone(1))).toBe(true);
    expect(model.observeSend(HOUR, phone(1), 'hello again').points.unanswered).toBe(0);
    expect(model.observeSend(2 * HOUR, phone(2), 'hello stranger').points.unanswered).toBe(SIMULATOR_DEFAULTS.ban.unanswered.points);
  });

  it('adds rate and burst risk only past their thresholds', () => {
    const model = new BanModel(params(), OLD);
    expect(model.observeSend(0, phone(1), 'one').points).toMatchObject({ rate: 0, burst: 0 });
    const fast = Array.from({ length: 10 }, (_, i) => model.observeSend(1_000 + i * 1_000, phone(i + 2), `text ${'abcdefghij'[i]!.repeat(8)}`).points);
    expect(fast.at(-1)!.burst).toBeGreaterThan(0);
    expect(fast.at(-1)!.rate).toBeGreaterThan(0);
    expect(model.observeSend(HOUR, phone(99), 'much later').points).toMatchObject({ rate: 0, burst: 0 });
  });

  it('punishes a young number sending more than its allowance, and not an old one', () => {
    const run = (ageDays: number) => {
      const model = new BanModel(params(), -ageDays * DAY);
      const random = seededRandom('young');
      let first: string | null = null;
      for (let i = 0, t = 0; t < DAY; i++, t += 3 * MINUTE) {
        const { change } = model.observeSend(t, phone(i), variedText(random));
        if (change && !first) first = change.type;
      }
      return { first, state: model.inspect(DAY) };
    };
    const young = run(0);
    expect(young.first).toBe('warned');
    expect(young.state.contributions.young).toBeGreaterThan(young.state.contributions.unanswered);
    const old = run(30);
    expect(old.first).toBeNull();
    expect(old.state.contributions.young).toBe(0);
  });

  it('blocks new chats for the timelock, each warning twice as long, and bans after the last warning', () => {
    const model = new BanModel(params({ maxWarnings: 2, timelockMs: HOUR, riskHalfLifeMs: 10 * MINUTE }), OLD);
    const changes: Array<{ type: string; at: number; until?: number }> = [];
    for (let i = 0, t = 0; !model.banned; i++, t += 1_000) {
      const { change } = model.observeSend(t, phone(i), BLAST);
      if (change) changes.push({ type: change.type, at: t, ...(change.type === 'warned' ? { until: change.timelockUntil } : {}) });
      if (model.timelocked(t)) {
        expect(model.timelockUntil).toBeGreaterThan(t);
        t = model.timelockUntil! - 1_000;
      }
    }
    expect(changes.map((c) => c.type)).toEqual(['warned', 'warned', 'banned']);
    expect(changes[0]!.until! - changes[0]!.at).toBe(HOUR);
    expect(changes[1]!.until! - changes[1]!.at).toBe(2 * HOUR);
    expect(model.inspect(changes[2]!.at).banReason).toMatch(/again after 2 warnings/);
  });

  it('stays quiet when disabled, and stops counting once banned', () => {
    const off = new BanModel(params({ enabled: false }), OLD);
    for (let i = 0; i < 1000; i++) expect(off.observeSend(i * 100, phone(i), BLAST)).toMatchObject({ risk: 0, change: null });
    const model = new BanModel(params(), OLD);
    let t = 0;
    while (!model.banned) model.observeSend((t += 1_000), phone(t), BLAST);
    const risk = model.riskAt(t);
    expect(model.observeSend(t + 1, phone(1), BLAST)).toMatchObject({ change: null, points: { rate: 0, burst: 0, similar: 0, unanswered: 0, young: 0 } });
    expect(model.riskAt(t)).toBe(risk);
  });

  it('keeps the contributions adding up to the risk, which never goes negative, whatever happens', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: HOUR }), reply: fc.boolean(), who: fc.integer({ min: 0, max: 20 }), text: fc.integer({ min: 0, max: 3 }) }), { maxLength: 300 }),
        (steps) => {
          const model = new BanModel(params(), OLD);
          let t = 0;
          for (const s of steps) {
            t += s.gap;
            if (s.reply) model.observeReply(t, phone(s.who));
            else model.observeSend(t, phone(s.who), ['one text', 'another text entirely', BLAST, 'x'][s.text]!);
            const state = model.inspect(t);
            expect(state.risk).toBeGreaterThanOrEqual(0);
            const sum = RISK_SIGNALS.reduce((a, k) => a + state.contributions[k], 0);
            expect(sum).toBeCloseTo(state.risk, 6);
          }
        },
      ),
      { seed: 77, numRuns: 100 },
    );
  });
});
