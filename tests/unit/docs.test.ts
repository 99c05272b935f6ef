// The operator docs in docs/ must stay true to the code: every `npm run` script they name
// exists, every setting they name is one lib/config/schema.ts validates (or a known
// non-app variable), every repository path they name exists, and every relative link resolves.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const docsDir = path.join(root, 'docs');
const DOC_FILES = ['DEPLOYMENT.md', 'OPERATIONS.md', 'ARCHITECTURE.md', 'SECURITY.md'];

/** Names the docs may show that are not app settings: read by the AWS SDK, PostgreSQL tools, Node, Next or the images, or AWS's own. */
const NON_APP_VARIABLES = new Set([
  'PARAMETER_ARN', // the KMS encryption-context key Parameter Store uses
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'PGPASSWORD',
  'PGHOST',
  'PGUSER',
  'PGDATABASE',
  'NODE_ENV',
  'NEXT_RUNTIME',
  'NEXT_OUTPUT',
  'NEXT_TELEMETRY_DISABLED',
  'NEXT_DIST_DIR',
  'PRISMA_SCHEMA_ENGINE_BINARY',
  'PG_CLIENT_MAJORS', // a build argument of the Dockerfile's tools image
]);

/** Top-level files the docs may name without a folder. */
const ROOT_FILES = /^(proxy\.ts|instrumentation\.ts|next\.config\.js|render\.yaml|docker-compose\.yml|Dockerfile|package\.json|README\.md)$/;
const PATH_ROOTS = /^(app|lib|scripts|prisma|tests|components|docs)\//;

function readDocs(): { file: string; text: string }[] {
  return DOC_FILES.map((file) => ({ file, text: fs.readFileSync(path.join(docsDir, file), 'utf8') }));
}

/** Inline code spans outside fenced blocks, and the fenced blocks themselves. */
function splitMarkdown(text: string): { spans: string[]; fences: string[] } {
  const fences: string[] = [];
  const prose = text.replace(/^```[^\n]*\n([\s\S]*?)^```/gm, (_, body: string) => {
    fences.push(body);
    return '';
  });
  const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '');
  return { spans, fences };
}

/** SCREAMING_CASE names (with at least one underscore) a doc presents as variables. */
function variablesNamed(text: string): Set<string> {
  const { spans, fences } = splitMarkdown(text);
  const names = new Set<string>();
  const variable = /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?:=.*)?$/;
  for (const span of spans) {
    const match = variable.exec(span.trim());
    if (match?.[1]) names.add(match[1]);
  }
  // In commands and examples: assignments (`NAME=value`) and Parameter Store names (`/maneiro/<env>/…/NAME`).
  const everywhere = [...spans, ...fences].join('\n');
  for (const m of everywhere.matchAll(/(?:^|[\s(])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)=/gm)) if (m[1]) names.add(m[1]);
  for (const m of everywhere.matchAll(/\/maneiro\/[\w.-]+\/(?:[\w.-]+\/)*([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/g)) if (m[1]) names.add(m[1]);
  return names;
}

/** Every key of the config schema: the `NAME:` properties of lib/config/schema.ts. */
function schemaSettings(): Set<string> {
  const source = fs.readFileSync(path.join(root, 'lib/config/schema.ts'), 'utf8');
  return new Set([...source.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] ?? ''));
}

/** Constants declared in the code (`PDF_LAYOUT_VERSION`, `REDACTED_KEYS`, …): the docs may name those too. */
function codeConstants(): Set<string> {
  const names = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'generated' && entry.name !== 'node_modules') visit(full);
      } else if (/\.(ts|tsx)$/.test(entry.name)) {
        for (const m of fs.readFileSync(full, 'utf8').matchAll(/\bconst ([A-Z][A-Z0-9_]+)\b/g)) if (m[1]) names.add(m[1]);
      }
    }
  };
  for (const dir of ['lib', 'app', 'scripts']) visit(path.join(root, dir));
  return names;
}

describe('docs/', () => {
  it('has the four operator documents', () => {
    for (const file of DOC_FILES) {
      const full = path.join(docsDir, file);
      expect(fs.existsSync(full), `${file} is missing`).toBe(true);
      expect(fs.readFileSync(full, 'utf8').length, `${file} is empty`).toBeGreaterThan(500);
    }
  });

  it('names only npm scripts that exist', () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const missing: string[] = [];
    for (const { file, text } of readDocs()) {
      for (const m of text.matchAll(/npm run ([a-z][\w:.-]*[\w])/g)) {
        if (m[1] && !(m[1] in scripts)) missing.push(`${file}: npm run ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names only settings that lib/config/schema.ts validates (or known non-app variables)', () => {
    const known = new Set([...schemaSettings(), ...NON_APP_VARIABLES, ...codeConstants()]);
    expect(known.has('DATABASE_URL')).toBe(true);
    const unknown: string[] = [];
    for (const { file, text } of readDocs()) {
      for (const name of variablesNamed(text)) if (!known.has(name)) unknown.push(`${file}: ${name}`);
    }
    expect(unknown).toEqual([]);
  });

  it('names only repository paths that exist', () => {
    const missing: string[] = [];
    for (const { file, text } of readDocs()) {
      for (const span of splitMarkdown(text).spans) {
        const candidate = span.trim().replace(/\s.*$/, '');
        if (!(PATH_ROOTS.test(candidate) || ROOT_FILES.test(candidate))) continue;
        if (/[<>*…{}]/.test(candidate)) continue; // a pattern, not a path
        if (!fs.existsSync(path.join(root, candidate))) missing.push(`${file}: ${candidate}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has relative links that resolve', () => {
    const broken: string[] = [];
    for (const { file, text } of readDocs()) {
      for (const m of text.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
        const target = m[1] ?? '';
        if (/^([a-z]+:|#)/i.test(target)) continue;
        const [relative] = target.split('#');
        if (!relative || !fs.existsSync(path.resolve(docsDir, relative))) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('has anchors that exist in the linked document', () => {
    const slug = (heading: string) =>
      heading
        .trim()
        .toLowerCase()
        .replace(/[`*]/g, '')
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-');
    const anchorsOf = (file: string) =>
      new Set([...fs.readFileSync(file, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] ?? '')));
    const broken: string[] = [];
    for (const { file, text } of readDocs()) {
      for (const m of text.matchAll(/\[[^\]]*\]\(([^)\s]*#[^)\s]+)\)/g)) {
        const target = m[1] ?? '';
        if (/^[a-z]+:/i.test(target)) continue;
        const [relative, anchor] = target.split('#');
        const linked = relative ? path.resolve(docsDir, relative) : path.join(docsDir, file);
        if (!fs.existsSync(linked) || !anchorsOf(linked).has(anchor ?? '')) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('the docs checks themselves', () => {
  it('finds variables in code spans, assignments and Parameter Store names, but not in prose', () => {
    const text = [
      'Set `S3_BUCKET` and `TRUSTED_PROXY_HOPS=1`; SOME_WORD in prose is ignored, and so is `GET`.',
      '```bash',
      'DATABASE_URL=postgres://x npm run db:migrate',
      'aws ssm put-parameter --name /maneiro/prod/stripe/STRIPE_SECRET_KEY',
      '```',
    ].join('\n');
    expect([...variablesNamed(text)].sort()).toEqual(['DATABASE_URL', 'S3_BUCKET', 'STRIPE_SECRET_KEY', 'TRUSTED_PROXY_HOPS']);
  });

  it('would report a setting the schema does not know', () => {
    expect(schemaSettings().has('MANEIRO_NOT_A_SETTING')).toBe(false);
    expect(schemaSettings().has('WORKER_CONCURRENCY')).toBe(true);
  });
});
