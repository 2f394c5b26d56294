import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configSchema, loadConfig, settings } from './config.js';

describe('configuration', () => {
  it('applies defaults, then file, then environment, then flags', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'svd-config-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ port: 7000, logLevel: 'debug', sessionIdleMinutes: 5 }));
    const config = loadConfig({
      configFile: file,
      env: { SVIEDKA_PORT: '7100', SVIEDKA_DATA_DIR: 'rel' },
      flags: { port: '7200' },
    });
    expect(config.port).toBe(7200);
    expect(config.logLevel).toBe('debug');
    expect(config.sessionIdleMinutes).toBe(5);
    expect(config.dataDir).toBe(path.resolve('rel'));
    expect(config.demo).toBe(true);
  });

  it('names the bad setting in one line', () => {
    const attempt = (env: Record<string, string>) => {
      try {
        loadConfig({ env });
        return '';
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
    };
    expect(attempt({ SVIEDKA_PORT: 'eighty' })).toMatch(/^invalid setting port \(SVIEDKA_PORT, --port\)/);
    expect(attempt({ DATABASE_URL: 'mysql://x' })).toMatch(/databaseUrl \(DATABASE_URL\).*postgres/);
    expect(attempt({ SVIEDKA_LOG_LEVEL: 'loud' })).toMatch(/logLevel/);
    expect(attempt({ SVIEDKA_PORT: 'eighty' })).not.toContain('\n');
  });

  it('refuses a config file that is not a JSON object', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'svd-config-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '[1,2]');
    expect(() => loadConfig({ configFile: file, env: {} })).toThrow(/must be a JSON object/);
    writeFileSync(file, '{"port": 1, "unknownSetting": true}');
    expect(() => loadConfig({ configFile: file, env: {} })).toThrow(/unknownSetting|Unrecognized/);
  });

  it('takes the evidence and exiftool settings like every other one: file, environment', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'svd-config-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ evidenceMaxBytes: 1000, exiftoolProcesses: 3 }));
    const config = loadConfig({
      configFile: file,
      env: { SVIEDKA_EXIFTOOL_STAY_OPEN: '0', SVIEDKA_CITIZEN_PROOF_BITS: '4' },
    });
    expect(config).toMatchObject({
      evidenceMaxBytes: 1000,
      exiftoolProcesses: 3,
      exiftoolStayOpen: false,
      citizenProofBits: 4,
      evidenceSubmissionsCollection: 'Citizen submissions',
    });
    expect(() => loadConfig({ env: { SVIEDKA_CITIZEN_PROOF_BITS: '31' } })).toThrow(
      /^invalid setting citizenProofBits \(SVIEDKA_CITIZEN_PROOF_BITS\)/,
    );
  });

  it('lists every setting in the README table with its environment name', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    expect(settings.map((s) => s.key).sort()).toEqual(Object.keys(configSchema.shape).sort());
    for (const setting of settings)
      expect(readme, setting.key).toContain(`| \`${setting.key}\` | \`${setting.env}\` |`);
  });
});
