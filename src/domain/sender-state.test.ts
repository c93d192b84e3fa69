import { describe, expect, it } from 'vitest';
import { senderState, type SenderStateInput } from './sender-state.ts';

const NOON = Date.UTC(2024, 2, 10, 12, 0, 0);

const base: SenderStateInput = {
  now: NOON,
  status: 'connected',
  statusReason: null,
  health: { state: 'healthy', sentence: null },
  transportProblem: null,
  activeHours: { start: '05:00', end: '01:00' },
  timezone: 'UTC',
  windows: { hour: { sent: 3, cap: 20 }, threeHours: { sent: 3, cap: 50 }, day: { sent: 30, cap: 120 } },
  packageDay: { sent: 30, cap: null },
  queued: 0,
};
const state = (over: Partial<SenderStateInput>) => senderState({ ...base, ...over });

describe('senderState', () => {
  it('is idle with nothing queued and active with a queue, when nothing holds the profile back', () => {
    expect(state({})).toEqual({ state: 'idle', label: 'Idle', reason: 'nothing queued: ready to send' });
    expect(state({ queued: 1 })).toEqual({ state: 'active', label: 'Active', reason: 'sending: 1 message queued' });
    expect(state({ queued: 12 }).reason).toBe('sending: 12 messages queued');
  });

  it('names every full window and the package total, with the counts', () => {
    const full = state({ queued: 5, windows: { hour: { sent: 20, cap: 20 }, threeHours: { sent: 50, cap: 50 }, day: { sent: 60, cap: 120 } } });
    expect(full).toEqual({
      state: 'limit_reached',
      label: 'Limit reached',
      reason: 'hourly limit reached (20/20); 3-hour limit reached (50/50): the next message waits for a slot to free up',
    });
    expect(state({ packageDay: { sent: 500, cap: 500 } }).reason).toBe('package daily total reached (500/500): the next message waits for a slot to free up');
    // Limits lowered below what was already sent still read as reached.
    expect(state({ windows: { ...base.windows, day: { sent: 30, cap: 20 } } }).reason).toMatch(/^daily limit reached \(30\/20\)/);
  });

  it('says when active hours start, in the profile timezone', () => {
    const night = Date.UTC(2024, 2, 10, 2, 30, 0);
    expect(state({ now: night, queued: 3 })).toEqual({
      state: 'outside_active_hours',
      label: 'Outside active hours',
      reason: 'outside active hours (05:00–01:00 UTC); they start in 2 h 30 min',
    });
    // 02:30 UTC is 09:30 in Jakarta: inside the same window there.
    expect(state({ now: night, timezone: 'Asia/Jakarta' }).state).toBe('idle');
  });

  it('puts a ban before a pause, a pause before a connection problem, and those before hours and limits', () => {
    const everything: Partial<SenderStateInput> = {
      now: Date.UTC(2024, 2, 10, 2, 30, 0),
      windows: { hour: { sent: 20, cap: 20 }, threeHours: { sent: 20, cap: 50 }, day: { sent: 20, cap: 120 } },
      queued: 4,
    };
    expect(state({ ...everything, status: 'banned', statusReason: 'WhatsApp logged the number out' })).toMatchObject({ state: 'banned', reason: 'WhatsApp logged the number out' });
    expect(state({ ...everything, health: { state: 'banned', sentence: 'banned: logged out for policy' } }).state).toBe('banned');
    expect(state({ ...everything, status: 'paused', statusReason: 'Paused by hand' })).toMatchObject({ state: 'paused', reason: 'Paused by hand' });
    expect(state({ ...everything, health: { state: 'risky', sentence: 'risky: 2 reach-out timelocks in the last hour' } })).toEqual({
      state: 'paused',
      label: 'Paused',
      reason: 'auto-paused as risky: risky: 2 reach-out timelocks in the last hour; its queued messages move to healthy profiles',
    });
    expect(state({ ...everything, health: { state: 'paused', sentence: null } }).reason).toBe('auto-paused after failing sends; its queued messages move to healthy profiles');
    expect(state({ ...everything, status: 'disconnected', statusReason: 'Not connected yet' })).toMatchObject({ state: 'not_connected', reason: 'Not connected yet' });
    expect(state({ ...everything, status: 'linking' })).toMatchObject({ state: 'not_connected', reason: 'waiting for the QR code to be scanned' });
    expect(state({ ...everything, transportProblem: 'no configuration is saved: enter it again' }).reason).toBe(
      'its transport settings cannot be read: no configuration is saved: enter it again',
    );
    expect(state({ ...everything, status: 'limited' })).toMatchObject({ state: 'limit_reached', reason: 'WhatsApp is limiting this number' });
    expect(state(everything).state).toBe('outside_active_hours');
    // A warning only halves the limits (the caller passes the halved caps): the state is decided by them.
    expect(state({ ...everything, now: NOON, health: { state: 'warning', sentence: 'warning: a rate-limit error' } }).state).toBe('limit_reached');
  });
});
