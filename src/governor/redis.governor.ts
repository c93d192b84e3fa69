import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { BatchingGovernor, type BatchDecision, type BatchGrant, type Governor, type GovernorRule, type Usage } from './governor.ts';
import { DAY_MS, HOUR_MS } from '../domain/clock.ts';
import { batchMember, checksFor, DEFAULT_SEAT_MS, LATE_CALLER_MS, measure, outsideActiveHours, refusalFor, type LimitCheck } from './memory.governor.ts';

/**
 * The governor for many workers at once: one Lua script per acquire checks every limit and records
 * the grant atomically, so two workers can never both take the last slot. Sorted sets per profile
 * (sends, scored by instant), per package (sends) and per package's seats (scored by lease end)
 * live under `{prefix}:gov:…`; the braces are a hash tag, keeping all keys of one call in one
 * Redis Cluster slot. Instants come from the caller, never from Redis TIME, so the simulator's
 * virtual clock and the tests decide what "now" is.
 */

/**
 * KEYS: the profile's sends, the package's sends, the package's seats.
 * ARGV: now, token, lease end, trim sends up to, trim seats up to, keys' time to live, sends
 * wanted, then per limit (key number, counted above, cap). Grants as many of the wanted sends as
 * every window has room for, under one seat (memory.governor.ts `grantable`), entered as the
 * token, token:2, token:3… (`batchMember`). Replies how many it granted, then per limit its count
 * (after the grant, for the windows) and the score of the entry whose departure frees it ('' when
 * the limit has room or no entry does). A grant adds the newest entries, so it resets the keys'
 * time to live to how long those entries are kept: a key nobody sends through disappears once its
 * last entry would be trimmed.
 */
const ACQUIRE = `
local now, token, leaseEnd = ARGV[1], ARGV[2], ARGV[3]
local granted = tonumber(ARGV[7])
local counts = {}
for i = 8, #ARGV, 3 do
  local n = redis.call('ZCOUNT', KEYS[tonumber(ARGV[i])], '(' .. ARGV[i + 1], '+inf')
  local cap = tonumber(ARGV[i + 2])
  counts[#counts + 1] = n
  if ARGV[i] == '3' then
    if n >= cap then granted = 0 end
  else
    granted = math.min(granted, cap - n)
  end
end
if granted < 0 then granted = 0 end
if granted > 0 then
  local entries = {}
  for j = 1, granted do
    entries[#entries + 1] = now
    entries[#entries + 1] = j == 1 and token or (token .. ':' .. j)
  end
  for s = 1, #entries, 2000 do
    local chunk = {unpack(entries, s, math.min(s + 1999, #entries))}
    redis.call('ZADD', KEYS[1], unpack(chunk))
    redis.call('ZADD', KEYS[2], unpack(chunk))
  end
  redis.call('ZADD', KEYS[3], leaseEnd, token)
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[4])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[4])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[5])
  for k = 1, 3 do redis.call('PEXPIRE', KEYS[k], ARGV[6]) end
end
local reply = {granted}
for i = 8, #ARGV, 3 do
  local key, above, cap = KEYS[tonumber(ARGV[i])], '(' .. ARGV[i + 1], tonumber(ARGV[i + 2])
  local n = counts[(i - 5) / 3]
  if ARGV[i] ~= '3' then n = n + granted end
  local leaving = ''
  if n >= cap then
    local e = redis.call('ZRANGEBYSCORE', key, above, '+inf', 'WITHSCORES', 'LIMIT', n - cap, 1)
    leaving = e[2] or ''
  end
  reply[#reply + 1] = n
  reply[#reply + 1] = leaving
end
return reply
`;

const COMMAND = 'chorusGovernorAcquire';
type AcquireReply = [number, ...Array<number | string>];
type WithAcquire = Redis & { [COMMAND](...keysThenArgs: Array<string | number>): Promise<AcquireReply> };

const KEY_NUMBER: Record<LimitCheck['on'], number> = { profile: 1, package: 2, seats: 3 };

export interface RedisGovernorOptions {
  /** A URL (the governor opens and closes its own connection) or a connection it borrows and leaves open. */
  redis: string | Redis;
  /** Keys are `{prefix}:gov:…`. */
  prefix: string;
}

export class RedisGovernor extends BatchingGovernor implements Governor {
  private readonly redis: WithAcquire;
  private readonly ownsConnection: boolean;
  private readonly tag: string;

  constructor(opts: RedisGovernorOptions) {
    super();
    this.ownsConnection = typeof opts.redis === 'string';
    const redis = typeof opts.redis === 'string' ? new Redis(opts.redis) : opts.redis;
    redis.defineCommand(COMMAND, { numberOfKeys: 3, lua: ACQUIRE });
    this.redis = redis as WithAcquire;
    this.tag = `{${opts.prefix}}:gov`;
  }

  private key(kind: 'profile' | 'package' | 'seats', id: string): string {
    return `${this.tag}:${kind}:${id}`;
  }

  async acquireBatch(rule: GovernorRule, now: number, count: number, seatMs = DEFAULT_SEAT_MS): Promise<BatchDecision> {
    const outside = outsideActiveHours(rule, now);
    if (outside) return { ok: false, refusal: outside };
    const checks = checksFor(rule, now);
    const token = randomUUID();
    const reply = await this.redis[COMMAND](
      this.key('profile', rule.profileId),
      this.key('package', rule.packageId),
      this.key('seats', rule.packageId),
      now,
      token,
      now + seatMs,
      now - DAY_MS - LATE_CALLER_MS,
      now - LATE_CALLER_MS,
      Math.ceil(Math.max(DAY_MS, seatMs) + LATE_CALLER_MS),
      count,
      ...checks.flatMap((c) => [KEY_NUMBER[c.on], c.after, c.cap]),
    );
    const granted = Number(reply[0]);
    const measures = checks.map((c, i) => {
      const leaving = reply[2 + 2 * i];
      return measure(c, now, Number(reply[1 + 2 * i]), leaving === '' ? undefined : Number(leaving));
    });
    if (granted === 0) return { ok: false, refusal: refusalFor(rule, now, measures)! };
    // The batch holds its seat: only a full window keeps the rest back.
    const rest = granted < count ? refusalFor(rule, now, measures.filter((m) => m.reason !== 'concurrency')) : null;
    return { ok: true, grant: { token, at: now, count: granted }, rest };
  }

  /** One MULTI; `XX` re-scores only entries still there, so a second release (or one after a trim) adds nothing back. */
  async releaseBatch(rule: GovernorRule, grant: BatchGrant, sentAt: number[], _now: number): Promise<void> {
    const profile = this.key('profile', rule.profileId);
    const pkg = this.key('package', rule.packageId);
    const tx = this.redis.multi().zrem(this.key('seats', rule.packageId), grant.token);
    const sent = Math.min(sentAt.length, grant.count);
    for (let from = 0; from < sent; from += 1000) {
      const scored = sentAt.slice(from, Math.min(sent, from + 1000)).flatMap((at, i) => [at, batchMember(grant.token, from + i + 1)]);
      tx.zadd(profile, 'XX', ...scored).zadd(pkg, 'XX', ...scored);
    }
    for (let from = sent; from < grant.count; from += 1000) {
      const members = Array.from({ length: Math.min(1000, grant.count - from) }, (_, i) => batchMember(grant.token, from + i + 1));
      tx.zrem(profile, ...members).zrem(pkg, ...members);
    }
    await exec(tx);
  }

  async usage(rule: GovernorRule, now: number): Promise<Usage> {
    const profile = this.key('profile', rule.profileId);
    const counts = await exec(
      this.redis
        .pipeline()
        .zcount(profile, `(${now - HOUR_MS}`, '+inf')
        .zcount(profile, `(${now - 3 * HOUR_MS}`, '+inf')
        .zcount(profile, `(${now - DAY_MS}`, '+inf')
        .zcount(this.key('package', rule.packageId), `(${now - DAY_MS}`, '+inf')
        .zcount(this.key('seats', rule.packageId), `(${now}`, '+inf'),
    );
    const [hour, threeHours, day, packageDay, sendingNow] = counts.map(Number) as [number, number, number, number, number];
    return { hour, threeHours, day, packageDay, sendingNow };
  }

  /** A marker key without expiry: it disappears only with the rest of Redis's data. */
  async claimRestore(): Promise<boolean> {
    return (await this.redis.set(`${this.tag}:restored`, '1', 'NX')) === 'OK';
  }

  async sendTimes(rule: GovernorRule, now: number, since = -Infinity): Promise<number[]> {
    const scores = await this.redis.zrangebyscore(this.key('profile', rule.profileId), `(${Math.max(now - DAY_MS, since)}`, now, 'WITHSCORES');
    return scores.filter((_, i) => i % 2 === 1).map(Number);
  }

  /** One MULTI: no worker sees a profile or package half rebuilt. Seats are left to their leases. */
  async restore(sends: Array<{ profileId: string; packageId: string; at: number }>, now: number): Promise<void> {
    const entries = new Map<string, Array<string | number>>();
    for (const s of sends) {
      entries.set(this.key('profile', s.profileId), []);
      entries.set(this.key('package', s.packageId), []);
    }
    sends.forEach((s, i) => {
      if (s.at <= now - DAY_MS - LATE_CALLER_MS) return;
      entries.get(this.key('profile', s.profileId))!.push(s.at, `r${i}`);
      entries.get(this.key('package', s.packageId))!.push(s.at, `r${i}`);
    });
    const tx = this.redis.multi();
    for (const [key, scoresAndMembers] of entries) {
      tx.del(key);
      // Bounded arguments per command: a restore can carry a day of sends for many profiles.
      for (let i = 0; i < scoresAndMembers.length; i += 2000) tx.zadd(key, ...scoresAndMembers.slice(i, i + 2000));
      if (scoresAndMembers.length > 0) tx.pexpire(key, DAY_MS + LATE_CALLER_MS);
    }
    await exec(tx);
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit();
  }
}

/** Runs a MULTI or pipeline; a failed command fails the call instead of hiding in the reply. */
async function exec(batch: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const results = (await batch.exec()) ?? [];
  for (const [err] of results) if (err) throw err;
  return results.map(([, value]) => value);
}
