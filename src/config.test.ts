import { describe, expect, it } from 'vitest';
import { ConfigError, configDocs, configSchema, loadConfig } from './config.ts';

describe('config', () => {
  it('runs embedded with no configuration at all', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('embedded');
    expect(c.PORT).toBe(3000);
    expect(c.IMPORT_MAX_BYTES).toBe(200 * 1024 * 1024);
    expect(c.dataDir).toMatch(/data$/);
  });

  it('runs scaled with DATABASE_URL and REDIS_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://h:6379' }).mode).toBe('scaled');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '' }).mode).toBe('embedded');
  });

  it('explains every bad value in words', () => {
    expect(() => loadConfig({ PORT: 'eighty', SECRET_KEY: 'short' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', SECRET_KEY: 'short' });
    } catch (err) {
      expect((err as Error).message).toMatch(/PORT/);
      expect((err as Error).message).toMatch(/SECRET_KEY must be 64 hex characters/);
    }
  });

  it('refuses Redis without PostgreSQL', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://h:6379' })).toThrow(/REDIS_URL needs DATABASE_URL/);
  });

  it('documents every setting', () => {
    expect(Object.keys(configDocs).sort()).toEqual(Object.keys(configSchema.shape).sort());
  });
});
