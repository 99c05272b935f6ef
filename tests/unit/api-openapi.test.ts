// The API's OpenAPI document: valid per Redocly's linter, the committed typed
// client generated from exactly this document (so it cannot drift from the
// server), served at /api/v1/openapi.json, and rendered at /docs/api without any
// script or external asset (the reference works offline).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import ApiReferencePage from '@/app/(marketing)/docs/api/page';
import { GET as openApiRoute } from '@/app/api/v1/openapi.json/route';
import { buildOpenApiDocument, problemCatalogue } from '@/lib/api/openapi';
import { PROBLEM_CODES } from '@/lib/api/problem';
import { API_TYPES_FILE, generateApiTypes } from '@/scripts/api-types';

const run = promisify(execFile);

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument({ serverUrl: 'https://maneiro.test' });

  it('passes `redocly lint` with no errors and no warnings', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'maneiro-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document, null, 2));
      // Run from the repository so its redocly.yaml applies; a non-zero exit rejects with the linter's output.
      const { stdout, stderr } = await run('npx', ['redocly', 'lint', '--format=stylish', file], { cwd: process.cwd(), env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
      const output = `${stdout}\n${stderr}`;
      expect(output).toContain('Your API description is valid');
      expect(output).not.toMatch(/\bwarning\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is what tests/support/api-types.ts was generated from (run `npm run api:types` after changing the API)', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    const regenerated = await generateApiTypes();
    expect(regenerated === committed, 'tests/support/api-types.ts is out of date: run npm run api:types').toBe(true);
  });

  it('documents every operation with its scope, a success and the problem responses', () => {
    const operations = Object.entries(document.paths).flatMap(([p, item]) => Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${p}`, op })));
    expect(operations.map((o) => o.key).sort()).toEqual(
      [
        'GET /api/v1/jobs',
        'GET /api/v1/jobs/{id}',
        'GET /api/v1/letters/{id}',
        'GET /api/v1/letters/{id}/pdf',
        'GET /api/v1/usage',
        'POST /api/v1/jobs',
        'POST /api/v1/jobs/{id}/cancel',
        'POST /api/v1/jobs/{id}/letters',
      ].sort(),
    );
    for (const { key, op } of operations) {
      expect(op?.security, key).toHaveLength(1);
      expect(Object.keys(op?.responses ?? {}), key).toEqual(expect.arrayContaining(['401', '403', '429']));
    }
    // The schemas come from the handlers' zod schemas, not a hand-written copy.
    expect(document.components.schemas.Job).toMatchObject({ type: 'object', required: expect.arrayContaining(['id', 'status', 'result', 'links']) });
    expect(document.components.schemas.LetterRequest).toMatchObject({ properties: { template: { enum: expect.arrayContaining(['referral', 'insurance']) } } });
    expect(document.components.schemas.Problem).toMatchObject({ properties: { code: { enum: [...PROBLEM_CODES] } } });
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('serves the document for this server without a key', async () => {
    const response = openApiRoute();
    expect(response.status).toBe(200);
    const served = (await response.json()) as { openapi: string; servers: { url: string }[]; paths: Record<string, unknown> };
    expect(served.openapi).toBe('3.1.0');
    expect(served.paths['/api/v1/jobs']).toBeDefined();
  });
});

describe('/docs/api', () => {
  it('renders every operation, error code and schema from the document, with no script or external asset', () => {
    const html = renderToStaticMarkup(createElement(ApiReferencePage));
    const document = buildOpenApiDocument({ serverUrl: 'http://localhost:3000' });
    for (const item of Object.values(document.paths)) for (const op of Object.values(item)) expect(html).toContain(`id="${op?.operationId}"`);
    for (const { code } of problemCatalogue()) expect(html).toContain(`id="error-${code}"`);
    for (const name of Object.keys(document.components.schemas)) expect(html).toContain(`id="schema-${name}"`);
    expect(html).toContain('Authorization: Bearer $MANEIRO_API_KEY');
    expect(html).toContain('Idempotency-Key');
    expect(html).toContain('RateLimit-Remaining');
    expect(html).not.toMatch(/<script|<link|<img|<iframe/i);
    expect(html).not.toMatch(/(?:src|href)="https?:\/\/(?!localhost)/);
  });
});
