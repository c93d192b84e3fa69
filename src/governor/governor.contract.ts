import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Limits } from '../domain/sender-settings.ts';
import type { BatchGrant, Governor, GovernorRule, Grant, Refusal } from './governor.ts';

/**
 * The behaviour every governor shares (governor.ts is the spec). Each implementation's test file
 * calls `governorContract` with a factory that returns a fresh, empty governor.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Monday 2024-06-03 10:00 UTC. */
const T0 = Date.UTC(2024, 5, 3, 10);
const utc = (iso: string) => Date.parse(`${iso}Z`);

type RuleInput = Partial<Omit<GovernorRule, 'limits'>> & { limits?: Partial<Limits> };

function rule(over: RuleInput = {}): GovernorRule {
  return {
    profileId: 'a',
    packageId: 'P',
    packageDailyTotal: null,
    maxConcurrentSends: 100,
    activeHours: { start: '00:00', end: '00:00' },
    timezone: 'UTC',
    ...over,
    limits: { perHour: 100, per3Hours: 300, perDay: 1000, ...over.limits },
  };
}

export function governorContract(name: string, makeGovernor: () => Governor | Promise<Governor>): void {
  describe(`${name} governor (contract)`, () => {
    let gov: Governor;
    beforeEach(async () => {
      gov = await makeGovernor();
    });
    afterEach(async () => {
      await gov.close();
    });

    async function granted(r: GovernorRule, at: number, seatMs?: number): Promise<Grant> {
      const d = await gov.acquire(r, at, seatMs);
      if (!d.ok) throw new Error(`expected a grant at ${new Date(at).toISOString()}, got: ${d.refusal.message}`);
      expect(d.grant.at).toBe(at);
      return d.grant;
    }
    async function refused(r: GovernorRule, at: number): Promise<Refusal> {
      const d = await gov.acquire(r, at);
      if (d.ok) throw new Error(`expected a refusal at ${new Date(at).toISOString()}, got a grant`);
      return d.refusal;
    }
    /** Refused one millisecond before `notBefore`, granted at it: the moment is exact. */
    async function exactlyFreeAt(r: GovernorRule, notBefore: number): Promise<Grant> {
      await refused(r, notBefore - 1);
      return granted(r, notBefore);
    }

    it('grants a send and counts it in every window and the package from that moment', async () => {
      const g = await granted(rule(), T0);
      expect(g.token).toBeTruthy();
      expect(await gov.usage(rule(), T0)).toEqual({ hour: 1, threeHours: 1, day: 1, packageDay: 1, sendingNow: 1 });
    });

    it('hourly limit: refuses at exactly the cap until the oldest send leaves the hour', async () => {
      const r = rule({ limits: { perHour: 3, per3Hours: 9, perDay: 20 } });
      for (const m of [0, 10, 20]) await granted(r, T0 + m * MINUTE);
      const refusal = await refused(r, T0 + 30 * MINUTE);
      expect(refusal).toEqual({ reason: 'hour', notBefore: T0 + HOUR, message: 'hourly limit reached (3/3); next slot at 11:00:00 UTC' });
      await exactlyFreeAt(r, T0 + HOUR);
      expect((await refused(r, T0 + HOUR + 1)).notBefore).toBe(T0 + HOUR + 10 * MINUTE);
    });

    it('3-hour limit: refuses at exactly the cap until the oldest send leaves the 3 hours', async () => {
      const r = rule({ limits: { perHour: 2, per3Hours: 3, perDay: 10 } });
      await granted(r, T0);
      await granted(r, T0 + MINUTE);
      expect((await refused(r, T0 + 2 * MINUTE)).reason).toBe('hour');
      await granted(r, T0 + HOUR);
      const refusal = await refused(r, T0 + HOUR + MINUTE);
      expect(refusal).toEqual({ reason: 'three_hours', notBefore: T0 + 3 * HOUR, message: '3-hour limit reached (3/3); next slot at 13:00:00 UTC' });
      await exactlyFreeAt(r, T0 + 3 * HOUR);
    });

    it('daily limit: refuses at exactly the cap until the oldest send leaves the 24 hours', async () => {
      const r = rule({ limits: { perHour: 1, per3Hours: 1, perDay: 3 } });
      for (const h of [0, 3, 6]) await granted(r, T0 + h * HOUR);
      const refusal = await refused(r, T0 + 9 * HOUR);
      expect(refusal).toEqual({ reason: 'day', notBefore: T0 + 24 * HOUR, message: 'daily limit reached (3/3); next slot at 2024-06-04 10:00:00 UTC' });
      await exactlyFreeAt(r, T0 + 24 * HOUR);
    });

    it('names the limit that frees last when several are full', async () => {
      const r = rule({ limits: { perHour: 1, per3Hours: 2, perDay: 5 } });
      await granted(r, T0);
      await granted(r, T0 + HOUR);
      // The hour frees at T0 + 2 h, the 3 hours only at T0 + 3 h: asking at 2 h would fail.
      expect(await refused(r, T0 + HOUR + MINUTE)).toMatchObject({ reason: 'three_hours', notBefore: T0 + 3 * HOUR });
    });

    it('waits for enough sends to leave when the limits were lowered below what was sent', async () => {
      const loose = rule({ limits: { perHour: 5, per3Hours: 15, perDay: 50 } });
      for (const m of [0, 1, 2, 3]) await granted(loose, T0 + m * MINUTE);
      const tight = rule({ limits: { perHour: 2, per3Hours: 6, perDay: 50 } });
      const refusal = await refused(tight, T0 + 4 * MINUTE);
      expect(refusal).toMatchObject({ reason: 'hour', notBefore: T0 + 2 * MINUTE + HOUR });
      expect(refusal.message).toBe('hourly limit reached (4/2); next slot at 11:02:00 UTC');
      await exactlyFreeAt(tight, T0 + 2 * MINUTE + HOUR);
    });

    it('a cap of 0 refuses, asking again once the window has slid', async () => {
      const r = rule({ packageDailyTotal: 0 });
      expect(await refused(r, T0)).toMatchObject({ reason: 'package_day', notBefore: T0 + 24 * HOUR });
    });

    it("counts a profile's sends for every package in its windows", async () => {
      const forP = rule({ limits: { perHour: 3, per3Hours: 9, perDay: 20 } });
      const forQ = { ...forP, packageId: 'Q' };
      await granted(forP, T0);
      await granted(forQ, T0 + MINUTE);
      await granted(forP, T0 + 2 * MINUTE);
      expect((await refused(forP, T0 + 3 * MINUTE)).reason).toBe('hour');
      expect((await refused(forQ, T0 + 3 * MINUTE)).reason).toBe('hour');
      expect(await gov.usage(forP, T0 + 3 * MINUTE)).toMatchObject({ hour: 3, packageDay: 2 });
      expect(await gov.usage(forQ, T0 + 3 * MINUTE)).toMatchObject({ hour: 3, packageDay: 1 });
    });

    it("package daily total counts only the sends made for that package, across its profiles", async () => {
      const at = (profileId: string, packageId: string) => rule({ profileId, packageId, packageDailyTotal: 3 });
      await granted(at('a', 'P'), T0);
      await granted(at('b', 'P'), T0 + MINUTE);
      await granted(at('a', 'Q'), T0 + 2 * MINUTE);
      await granted(at('b', 'P'), T0 + 3 * MINUTE);
      const refusal = await refused(at('c', 'P'), T0 + 4 * MINUTE);
      expect(refusal).toEqual({
        reason: 'package_day',
        notBefore: T0 + 24 * HOUR,
        message: 'package daily total reached (3/3); next slot at 2024-06-04 10:00:00 UTC',
      });
      expect(await gov.usage(at('c', 'P'), T0 + 4 * MINUTE)).toMatchObject({ day: 0, packageDay: 3 });
      await granted(at('c', 'Q'), T0 + 4 * MINUTE);
      await exactlyFreeAt(at('c', 'P'), T0 + 24 * HOUR);
    });

    it("'not_sent' gives the slot back; 'sent' keeps it; releasing twice changes nothing more", async () => {
      const r = rule({ limits: { perHour: 2, per3Hours: 6, perDay: 20 } });
      const first = await granted(r, T0);
      const second = await granted(r, T0 + 30_000);
      await refused(r, T0 + 40_000);
      await gov.release(r, first, 'not_sent', T0 + 40_000);
      await gov.release(r, first, 'not_sent', T0 + 40_000);
      expect(await gov.usage(r, T0 + 40_000)).toEqual({ hour: 1, threeHours: 1, day: 1, packageDay: 1, sendingNow: 1 });
      const third = await granted(r, T0 + 50_000);
      await gov.release(r, second, 'sent', T0 + 60_000);
      await gov.release(r, third, 'sent', T0 + 60_000);
      await gov.release(r, third, 'sent', T0 + 60_000);
      expect(await gov.usage(r, T0 + 60_000)).toEqual({ hour: 2, threeHours: 2, day: 2, packageDay: 2, sendingNow: 0 });
      expect(await refused(r, T0 + 70_000)).toMatchObject({ reason: 'hour', notBefore: T0 + 30_000 + HOUR });
    });

    it('max concurrent sends: a full semaphore asks for a short retry; a release frees a seat', async () => {
      const at = (profileId: string) => rule({ profileId, maxConcurrentSends: 2 });
      const a = await granted(at('a'), T0);
      await granted(at('b'), T0);
      const refusal = await refused(at('c'), T0);
      expect(refusal).toEqual({
        reason: 'concurrency',
        notBefore: T0 + 1000,
        message: 'max concurrent sends of the package reached (2/2 sending now); retry at 10:00:01 UTC',
      });
      expect((await gov.usage(at('c'), T0)).sendingNow).toBe(2);
      await gov.release(at('a'), a, 'sent', T0 + 10);
      await granted(at('c'), T0 + 10);
      // Seats are the package's: another package's semaphore is its own.
      await granted({ ...at('d'), packageId: 'Q', maxConcurrentSends: 1 }, T0 + 10);
    });

    it('a seat never released expires with its lease; releasing it late frees no other seat', async () => {
      const at = (profileId: string) => rule({ profileId, maxConcurrentSends: 1 });
      const a = await granted(at('a'), T0, 5000);
      expect(await refused(at('b'), T0 + 4500)).toMatchObject({ reason: 'concurrency', notBefore: T0 + 5000 });
      await exactlyFreeAt(at('b'), T0 + 5000);
      await gov.release(at('a'), a, 'sent', T0 + 6000);
      expect((await gov.usage(at('b'), T0 + 6000)).sendingNow).toBe(1);
      expect((await refused(at('c'), T0 + 6000)).reason).toBe('concurrency');
    });

    it('active hours that wrap past midnight: refuses outside with the next start, records nothing', async () => {
      const r = rule({ activeHours: { start: '22:00', end: '06:00' } });
      expect(await refused(r, utc('2024-06-03T12:00'))).toEqual({
        reason: 'outside_active_hours',
        notBefore: utc('2024-06-03T22:00'),
        message: 'outside active hours (22:00–06:00 UTC); they start at 22:00:00 UTC',
      });
      await exactlyFreeAt(r, utc('2024-06-03T22:00'));
      await granted(r, utc('2024-06-04T05:59:59.999'));
      expect(await refused(r, utc('2024-06-04T06:00'))).toMatchObject({ notBefore: utc('2024-06-04T22:00') });
      expect((await gov.usage(r, utc('2024-06-04T06:00'))).day).toBe(2);
    });

    it("active hours are read in the profile's timezone (Asia/Jakarta, UTC+7)", async () => {
      const r = rule({ activeHours: { start: '08:00', end: '20:00' }, timezone: 'Asia/Jakarta' });
      expect(await refused(r, utc('2024-06-03T00:30'))).toEqual({
        reason: 'outside_active_hours',
        notBefore: utc('2024-06-03T01:00'),
        message: 'outside active hours (08:00–20:00 Asia/Jakarta); they start at 08:00:00 Asia/Jakarta',
      });
      await exactlyFreeAt(r, utc('2024-06-03T01:00'));
      expect(await refused(r, utc('2024-06-03T13:00'))).toMatchObject({
        notBefore: utc('2024-06-04T01:00'),
        message: 'outside active hours (08:00–20:00 Asia/Jakarta); they start at 2024-06-04 08:00:00 Asia/Jakarta',
      });
    });

    it('a limit that frees outside active hours sends the caller to their next start', async () => {
      const r = rule({ limits: { perHour: 1, per3Hours: 3, perDay: 10 }, activeHours: { start: '08:00', end: '09:00' } });
      await granted(r, utc('2024-06-03T08:30'));
      expect(await refused(r, utc('2024-06-03T08:40'))).toEqual({
        reason: 'hour',
        notBefore: utc('2024-06-04T08:00'),
        message: 'hourly limit reached (1/1); next slot at 2024-06-04 08:00:00 UTC, when active hours start',
      });
    });

    it('usage counts the sliding windows at the moment asked', async () => {
      const a = rule();
      for (const m of [0, 18 * 60, 20 * 60, 20 * 60 + 10]) await granted(a, T0 + m * MINUTE, 60_000);
      await granted(rule({ profileId: 'b' }), T0 + 20 * HOUR + 20 * MINUTE, 60_000);
      expect(await gov.usage(a, T0 + 20 * HOUR + 20 * MINUTE + 30_000)).toEqual({ hour: 2, threeHours: 3, day: 4, packageDay: 5, sendingNow: 1 });
      expect(await gov.usage(a, T0 + 24 * HOUR + 30 * MINUTE)).toEqual({ hour: 0, threeHours: 0, day: 3, packageDay: 4, sendingNow: 0 });
    });

    it('sendTimes lists the profile\'s counted sends of the last 24 h, oldest first, without those given back', async () => {
      const a = rule();
      const kept = await granted(a, T0 + MINUTE);
      const givenBack = await granted(a, T0 + 2 * MINUTE);
      await granted(a, T0 + 3 * MINUTE);
      await granted(rule({ profileId: 'b' }), T0 + 4 * MINUTE);
      await gov.release(a, givenBack, 'not_sent', T0 + 2 * MINUTE);
      await gov.release(a, kept, 'sent', T0 + 2 * MINUTE);
      expect(await gov.sendTimes(a, T0 + 10 * MINUTE)).toEqual([T0 + MINUTE, T0 + 3 * MINUTE]);
      expect(await gov.sendTimes(a, T0 + 24 * HOUR + 2 * MINUTE)).toEqual([T0 + 3 * MINUTE]);
      // Only those after `since` (not at it), and never older than 24 h whatever `since` says.
      expect(await gov.sendTimes(a, T0 + 10 * MINUTE, T0 + MINUTE)).toEqual([T0 + 3 * MINUTE]);
      expect(await gov.sendTimes(a, T0 + 10 * MINUTE, T0 + MINUTE - 1)).toEqual([T0 + MINUTE, T0 + 3 * MINUTE]);
      expect(await gov.sendTimes(a, T0 + 10 * MINUTE, T0 + 3 * MINUTE)).toEqual([]);
      expect(await gov.sendTimes(a, T0 + 24 * HOUR + 2 * MINUTE, T0)).toEqual([T0 + 3 * MINUTE]);
    });

    async function batch(r: GovernorRule, at: number, count: number, seatMs?: number): Promise<{ grant: BatchGrant; rest: Refusal | null }> {
      const d = await gov.acquireBatch(r, at, count, seatMs);
      if (!d.ok) throw new Error(`expected a batch grant at ${new Date(at).toISOString()}, got: ${d.refusal.message}`);
      expect(d.grant.at).toBe(at);
      return d;
    }

    it('a batch gets as many sends as the windows have room for, and says which limit holds back the rest and until when', async () => {
      const r = rule({ limits: { perHour: 5, per3Hours: 15, perDay: 50 } });
      await granted(r, T0);
      await granted(r, T0 + MINUTE);
      const { grant, rest } = await batch(r, T0 + 10 * MINUTE, 10);
      expect(grant.count).toBe(3);
      expect(rest).toEqual({ reason: 'hour', notBefore: T0 + HOUR, message: 'hourly limit reached (5/5); next slot at 11:00:00 UTC' });
      // One seat: the earlier grants' seats ended with their leases.
      expect(await gov.usage(r, T0 + 10 * MINUTE)).toEqual({ hour: 5, threeHours: 5, day: 5, packageDay: 5, sendingNow: 1 });
      expect(await gov.acquireBatch(r, T0 + 11 * MINUTE, 10)).toEqual({ ok: false, refusal: await refused(r, T0 + 11 * MINUTE) });
      const all = await batch(rule(), T0 + 12 * MINUTE, 10);
      expect(all.grant.count).toBe(10);
      expect(all.rest).toBeNull();
    });

    it('a batch holds one seat of the package, whatever its size, until it is released', async () => {
      const at = (profileId: string) => rule({ profileId, maxConcurrentSends: 2 });
      const a = await batch(at('a'), T0, 50);
      expect(a.grant.count).toBe(50);
      expect((await gov.usage(at('a'), T0)).sendingNow).toBe(1);
      await batch(at('b'), T0, 50);
      const full = await gov.acquireBatch(at('c'), T0, 50);
      expect(full).toEqual({ ok: false, refusal: expect.objectContaining({ reason: 'concurrency', notBefore: T0 + 1000 }) });
      await gov.releaseBatch(at('a'), a.grant, [T0], T0 + 10);
      expect((await batch(at('c'), T0 + 10, 50)).grant.count).toBe(50);
    });

    it('releasing a batch keeps the sends that left at the instants they left and gives back the rest; twice changes nothing more', async () => {
      const r = rule({ limits: { perHour: 3, per3Hours: 9, perDay: 20 } });
      const { grant } = await batch(r, T0, 3);
      await gov.releaseBatch(r, grant, [T0 + 1000, T0 + 2000], T0 + 3000);
      await gov.releaseBatch(r, grant, [T0 + 1000, T0 + 2000], T0 + 3000);
      expect(await gov.usage(r, T0 + 3000)).toEqual({ hour: 2, threeHours: 2, day: 2, packageDay: 2, sendingNow: 0 });
      expect(await gov.sendTimes(r, T0 + 3000)).toEqual([T0 + 1000, T0 + 2000]);
      await granted(r, T0 + 4000);
      // Full from the hour's point of view until the send that left at T0 + 1 s (not the grant at T0) is an hour old.
      expect(await refused(r, T0 + 5000)).toMatchObject({ reason: 'hour', notBefore: T0 + 1000 + HOUR });
      await exactlyFreeAt(r, T0 + 1000 + HOUR);
    });

    it('a batch is refused outside active hours, recording nothing', async () => {
      const r = rule({ activeHours: { start: '22:00', end: '06:00' } });
      const d = await gov.acquireBatch(r, utc('2024-06-03T12:00'), 20);
      expect(d).toEqual({ ok: false, refusal: expect.objectContaining({ reason: 'outside_active_hours', notBefore: utc('2024-06-03T22:00') }) });
      expect(await gov.usage(r, utc('2024-06-03T12:00'))).toEqual({ hour: 0, threeHours: 0, day: 0, packageDay: 0, sendingNow: 0 });
    });

    it('claimRestore is true once for a governor that starts empty', async () => {
      expect(await gov.claimRestore()).toBe(true);
      expect(await gov.claimRestore()).toBe(false);
    });

    it('restore replaces exactly what is held for the named profiles and packages', async () => {
      const a = rule({ limits: { perHour: 3, per3Hours: 9, perDay: 20 } });
      const c = rule({ profileId: 'c', packageId: 'Q' });
      await granted(a, T0 - 50 * MINUTE);
      await granted(a, T0 - 40 * MINUTE);
      await granted(c, T0 - MINUTE);
      await gov.restore(
        [
          { profileId: 'a', packageId: 'P', at: T0 - 30 * HOUR },
          { profileId: 'a', packageId: 'P', at: T0 - 30 * MINUTE },
          { profileId: 'a', packageId: 'P', at: T0 - 20 * MINUTE },
          { profileId: 'b', packageId: 'P', at: T0 - 15 * MINUTE },
          { profileId: 'a', packageId: 'P', at: T0 - 10 * MINUTE },
        ],
        T0,
      );
      expect(await gov.usage(a, T0)).toMatchObject({ hour: 3, day: 3, packageDay: 4 });
      expect(await gov.usage(c, T0)).toMatchObject({ day: 1, packageDay: 1 });
      expect(await refused(a, T0)).toMatchObject({ reason: 'hour', notBefore: T0 + 30 * MINUTE });
      await exactlyFreeAt(a, T0 + 30 * MINUTE);
    });
  });
}
