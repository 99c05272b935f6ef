// Everything under <distDir>/static is public: any visitor can download it. No
// secret and no server-only setting may end up there (a client component importing
// lib/config, a NEXT_PUBLIC_ prefix on the wrong variable). `npm test` builds first;
// without a build this test skips locally and fails in CI.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '@/lib/config/schema';

const distDir = process.env.NEXT_DIST_DIR || '.next';
const staticDir = path.join(distDir, 'static');
const built = fs.existsSync(staticDir);
const ci = process.env.CI === 'true' || process.env.CI === '1';

/** Settings whose values are credentials; derived from the schema so new ones are covered. */
const SECRET_SETTING = /SECRET|TOKEN|PASSWORD|API_KEY|DATABASE_URL|SMTP_URL|REDIS_REST_URL/;
const secretSettings = [...SETTING_NAMES.filter((name) => SECRET_SETTING.test(name)), 'NEXTAUTH_SECRET', 'AWS_SECRET_ACCESS_KEY'];

/** Shapes of credentials, whoever's they are. */
const CREDENTIAL_PATTERNS: [string, RegExp][] = [
  ['a Stripe secret key', /\b[sr]k_(?:test|live)_[A-Za-z0-9]/],
  ['a Stripe webhook secret', /\bwhsec_[A-Za-z0-9]/],
  ['a PEM key or certificate', /-----BEGIN /],
  ['a PostgreSQL URL', /\bpostgres(?:ql)?:\/\//],
  ['an AWS access key id', /\bAKIA[0-9A-Z]{16}\b/],
];

/** Secret values this machine knows: the environment, the dev secret, the e2e servers' secrets. */
function knownSecretValues(): Map<string, string> {
  const values = new Map<string, string>();
  const add = (label: string, value: unknown) => {
    // Short values ("x", "true") would match by accident and protect nothing.
    if (typeof value === 'string' && value.length >= 8) values.set(value, label);
  };
  for (const name of secretSettings) add(`the value of ${name}`, process.env[name]);
  try {
    add('the development AUTH_SECRET (.data/secrets.json)', (JSON.parse(fs.readFileSync('.data/secrets.json', 'utf8')) as { authSecret?: unknown }).authSecret);
  } catch {
    // No development secret on this machine.
  }
  if (fs.existsSync('test-results')) {
    for (const file of fs.readdirSync('test-results').filter((f) => /^e2e-server-\d+\.json$/.test(f))) {
      const info = JSON.parse(fs.readFileSync(path.join('test-results', file), 'utf8')) as Record<string, unknown>;
      add(`authSecret of ${file}`, info.authSecret);
      add(`databaseUrl of ${file}`, info.databaseUrl);
    }
  }
  return values;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe(`public build output (${staticDir})`, () => {
  if (!built) {
    if (ci) {
      it('exists', () => {
        expect.fail(`No build at ${staticDir}: in CI \`npm test\` runs \`next build\` first, so the public files must be checked here.`);
      });
    } else {
      it.skip(`is checked for secrets once built (no build at ${staticDir}: run \`npm run build\`)`, () => undefined);
    }
    return;
  }

  const files = filesUnder(staticDir);

  it('holds the client bundles', () => {
    expect(files.some((file) => file.endsWith('.js'))).toBe(true);
  });

  it('contains no secret value, no secret setting name and nothing shaped like a credential', () => {
    const secrets = knownSecretValues();
    const findings: string[] = [];
    for (const file of files) {
      // latin1 keeps every byte (fonts, images) without decoding errors.
      const text = fs.readFileSync(file, 'latin1');
      for (const [value, label] of secrets) if (text.includes(value)) findings.push(`${file}: ${label}`);
      for (const name of secretSettings) if (text.includes(name)) findings.push(`${file}: the setting name ${name}`);
      for (const [label, pattern] of CREDENTIAL_PATTERNS) if (pattern.test(text)) findings.push(`${file}: ${label}`);
    }
    expect(findings).toEqual([]);
  });
});
