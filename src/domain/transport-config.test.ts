import { describe, expect, it } from 'vitest';
import { maskSecret, maskTransportConfig, transportConfigSchemas } from './transport-config.ts';

const cloud = { phoneNumberId: '109876543210987', accessToken: 'EAAGzzzzzzzzzzzzzzzz1a2b', appSecret: '0123456789abcdef0123456789abcdef' };

describe('transport configuration', () => {
  it('masks every secret of the Cloud API and keeps the identifiers', () => {
    expect(maskTransportConfig('cloud-api', { ...cloud, verifyToken: 'short' })).toEqual({
      transportConfig: { phoneNumberId: '109876543210987', accessToken: '••••1a2b', appSecret: '••••cdef', verifyToken: '••••' },
      hasSecrets: true,
    });
  });

  it('shows the last four characters only of secrets long enough to spare them', () => {
    expect(maskSecret('abcdefghijk')).toBe('••••');
    expect(maskSecret('abcdefghijkl')).toBe('••••ijkl');
  });

  it('has nothing to mask for the simulator and WhatsApp Web', () => {
    expect(maskTransportConfig('simulator', { seed: 's', overrides: { replyRate: 0.2 } })).toEqual({
      transportConfig: { seed: 's', overrides: { replyRate: 0.2 } },
      hasSecrets: false,
    });
    expect(maskTransportConfig('whatsapp-web', {})).toEqual({ transportConfig: {}, hasSecrets: false });
  });

  it('says in words what a Cloud API configuration lacks or has wrong', () => {
    const messages = (v: unknown) => transportConfigSchemas['cloud-api'].safeParse(v).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages({ phoneNumberId: '12ab', accessToken: 'has space', appSecret: 5 })).toEqual([
      'phoneNumberId: the phone number ID: the digits Meta shows',
      'accessToken: the access token, without spaces',
      'appSecret: the app secret, as text',
    ]);
    expect(messages({ phoneNumberId: '1', appSecret: 'x', extra: 1 })).toEqual(['accessToken: required: the access token', ': Unrecognized key: "extra"']);
    expect(transportConfigSchemas.simulator.safeParse({ overrides: { blob: 'x'.repeat(70_000) } }).error?.issues[0]?.message).toBe('at most 64 KB of overrides');
  });
});
