import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { APPS } from './apps';
import { expectEmbeddedNatsSettings } from './nats-settings.testing';

/**
 * docker-compose.yml cannot be run here (no Docker engine), so what it must share with
 * `npm start` is checked where it is written down: every app has a service built from its
 * Dockerfile stage, and NATS runs with the settings the embedded stack gives it.
 */
interface ComposeFile {
  services: Record<string, { build?: { target?: string }; command?: string[]; configs?: Array<{ source: string; target: string }> }>;
  configs: Record<string, { content: string }>;
}

const root = resolve(__dirname, '..', '..', '..');
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  it.each(APPS)('builds %s from its own Dockerfile stage', (app) => {
    expect(compose.services[app]?.build?.target).toBe(app);
    expect(dockerfile).toMatch(new RegExp(`^FROM runtime AS ${app}$`, 'm'));
  });

  it('runs NATS with the embedded stack\'s payload limit and an fsync per JetStream write', () => {
    const nats = compose.services.nats!;
    const mounted = nats.configs?.find((c) => nats.command?.join(' ') === `-c ${c.target}`);
    expect(mounted).toBeDefined();
    expectEmbeddedNatsSettings(compose.configs[mounted!.source]!.content);
  });
});
