import { z } from 'zod';
import type { TransportKind } from './sender-settings.ts';

/**
 * What each transport needs to connect a profile (product.md §8), validated where it enters and
 * again whenever a change is merged into a stored one. The whole configuration is encrypted at
 * rest; the fields in SECRET_FIELDS are also never shown again once saved, only masked.
 */

const text = (what: string, max: number) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? `required: ${what}` : `${what}, as text`) })
    .trim()
    .min(1, `required: ${what}`)
    .max(max, `at most ${max.toLocaleString('en-US')} characters`)
    .regex(/^\S+$/, `${what}, without spaces`);

const metaId = (what: string) => text(what, 30).regex(/^\d+$/, `${what}: the digits Meta shows`);

export const cloudApiConfigSchema = z.strictObject(
  {
    phoneNumberId: metaId('the phone number ID'),
    accessToken: text('the access token', 4096),
    appSecret: text('the app secret', 256),
    verifyToken: text('the webhook verify token', 256).optional(),
    wabaId: metaId('the WhatsApp Business Account ID').optional(),
  },
  { error: (iss) => (iss.code === 'invalid_type' ? 'required: the Cloud API credentials {phoneNumberId, accessToken, appSecret}' : undefined) },
);
export type CloudApiConfig = z.output<typeof cloudApiConfigSchema>;

/** Linked by QR code; its session is stored when linking succeeds, nothing is entered by hand. */
export const whatsappWebConfigSchema = z.strictObject({});
export type WhatsappWebConfig = z.output<typeof whatsappWebConfigSchema>;

const MAX_OVERRIDES_JSON = 64 * 1024;

export const simulatorTransportConfigSchema = z.strictObject({
  seed: z.string().max(200, 'at most 200 characters').optional().describe('Same seed, same simulated network'),
  overrides: z
    .record(z.string(), z.unknown())
    .refine((o) => JSON.stringify(o).length <= MAX_OVERRIDES_JSON, 'at most 64 KB of overrides')
    .optional()
    .describe("Parameters of the simulated network for this number (latencies, reply and error rates, ban model)"),
});
export type SimulatorTransportConfig = z.output<typeof simulatorTransportConfigSchema>;

export const transportConfigSchemas = {
  'cloud-api': cloudApiConfigSchema,
  'whatsapp-web': whatsappWebConfigSchema,
  simulator: simulatorTransportConfigSchema,
} as const satisfies Record<TransportKind, z.ZodType>;

export type TransportConfigs = { [K in TransportKind]: z.output<(typeof transportConfigSchemas)[K]> };
export type TransportConfig = TransportConfigs[TransportKind];

/** Fields that are credentials: stored encrypted, answered masked, never written to the audit log. */
export const SECRET_FIELDS: { [K in TransportKind]: ReadonlyArray<keyof TransportConfigs[K]> } = {
  'cloud-api': ['accessToken', 'appSecret', 'verifyToken'],
  'whatsapp-web': [],
  simulator: [],
};

/** Enough to recognise which token is saved, too little to use it; short secrets show nothing. */
export function maskSecret(value: string): string {
  return value.length >= 12 ? `••••${value.slice(-4)}` : '••••';
}

/** The configuration as the API shows it: every secret masked, and whether any is set. */
export function maskTransportConfig(kind: TransportKind, config: TransportConfig): { transportConfig: Record<string, unknown>; hasSecrets: boolean } {
  const shown: Record<string, unknown> = { ...config };
  let hasSecrets = false;
  for (const field of SECRET_FIELDS[kind] as readonly string[]) {
    const value = shown[field];
    if (typeof value !== 'string') continue;
    shown[field] = maskSecret(value);
    hasSecrets = true;
  }
  return { transportConfig: shown, hasSecrets };
}
