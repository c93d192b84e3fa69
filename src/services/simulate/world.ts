import { seededRandom } from '../../domain/seeded-random.ts';
import type { Scenario } from './scenario.ts';

/**
 * The fixed cast of a simulation, drawn from its seed: ids, the profiles' numbers, the recipients
 * and each one's rendered text. Pacing draws from streams seeded by package, profile and message
 * ids, so the ids must come from the seed too (not from the time, as uuidv7 would) for the same
 * seed to give the same report.
 */

export interface Recipient {
  phone: string;
  name: string;
  text: string;
}

export interface World {
  packageId: string;
  profileIds: string[];
  profilePhones: string[];
  /** Message i goes to recipient i; ids sort by i, so each profile's queue is in recipient order. */
  messageIds: string[];
  recipients: Recipient[];
}

const NAMES = ['Ayu', 'Budi', 'Citra', 'Dewi', 'Eko', 'Fitri', 'Gilang', 'Hana', 'Indra', 'Joko', 'Kartika', 'Lestari', 'Made', 'Nur', 'Putri', 'Rizki', 'Sari', 'Teguh', 'Wati', 'Yusuf'];

/** A UUID whose first 12 hex digits are `n` (so ids sort by n) and whose rest comes from the seed. */
function seededId(seed: string, kind: string, n: number): string {
  const random = seededRandom(`${seed}:id:${kind}:${n}`);
  const hex = (digits: number) => Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');
  const head = n.toString(16).padStart(12, '0');
  return `${head.slice(0, 8)}-${head.slice(8)}-7${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
}

export function buildWorld(s: Scenario): World {
  const recipients: Recipient[] = [];
  for (let i = 0; i < s.recipients; i++) {
    const phone = `+62857${String(10_000_000 + i)}`;
    const name = NAMES[i % NAMES.length]!;
    const rendered = s.template.render({ name, phone }, seededRandom(`${s.seed}:text:${i}`));
    // resolveScenario refuses variables other than name and phone without a fallback, so this cannot happen.
    if (!rendered.ok) throw new Error(`the message cannot be rendered for ${phone}: ${rendered.reason}`);
    recipients.push({ phone, name, text: rendered.text });
  }
  return {
    packageId: seededId(s.seed, 'package', 0),
    profileIds: s.profiles.map((p) => seededId(s.seed, 'profile', p.index)),
    profilePhones: s.profiles.map((p) => `+62811${String(1_000_000 + p.index)}`),
    messageIds: recipients.map((_, i) => seededId(s.seed, 'message', i)),
    recipients,
  };
}
