import type { Metadata } from 'next';
import Link from 'next/link';
import { buildOpenApiDocument, problemCatalogue, type OpenApiDocument, type OperationObject, type ParameterObject, type ResponseObject } from '@/lib/api/openapi';
import { getConfig } from '@/lib/config';
import { Inline, Markdown } from './markdown';
import { refName, SchemaView, schemaAnchor, typeLabel } from './schema-view';

// The API reference, rendered on the server from the same OpenAPI document that
// GET /api/v1/openapi.json serves: no client script and no external asset, so it
// works offline. Dynamic because the examples name this server's URL.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'REST API reference',
  description: 'Maneiro’s REST API for Enterprise clinics: authentication, scopes, endpoints, errors, rate limits and idempotency.',
};

type Operation = { method: 'get' | 'post'; path: string; op: OperationObject };

function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    (['post', 'get'] as const).flatMap((method) => {
      const op = item[method];
      return op ? [{ method, path, op }] : [];
    }),
  );
}

function resolveParameter(doc: OpenApiDocument, p: ParameterObject | { $ref: string }): ParameterObject | null {
  if ('$ref' in p) return doc.components.parameters[p.$ref.replace('#/components/parameters/', '')] ?? null;
  return p;
}

function resolveResponse(doc: OpenApiDocument, r: ResponseObject | { $ref: string }): ResponseObject | null {
  if ('$ref' in r) return doc.components.responses[r.$ref.replace('#/components/responses/', '')] ?? null;
  return r;
}

function MethodBadge({ method }: { method: string }) {
  const colour = method === 'post' ? 'bg-brand-50 text-brand-800 ring-brand-200' : 'bg-slate-100 text-slate-800 ring-slate-200';
  return <span className={`rounded px-2 py-0.5 font-mono text-xs font-semibold uppercase ring-1 ring-inset ${colour}`}>{method}</span>;
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className="scroll-mt-20 space-y-4 border-t border-slate-200 pt-8">
      <h2 id={`${id}-heading`} className="text-xl font-semibold text-slate-950">
        {title}
      </h2>
      {children}
    </section>
  );
}

function OperationView({ doc, operation }: { doc: OpenApiDocument; operation: Operation }) {
  const { method, path, op } = operation;
  const parameters = (op.parameters ?? []).map((p) => resolveParameter(doc, p)).filter((p): p is ParameterObject => p !== null);
  return (
    <article id={op.operationId} aria-labelledby={`${op.operationId}-heading`} className="scroll-mt-20 space-y-4 rounded-lg border border-slate-200 p-5">
      <h3 id={`${op.operationId}-heading`} className="flex flex-wrap items-center gap-3 text-lg font-semibold text-slate-950">
        <MethodBadge method={method} />
        <code className="font-mono text-base">{path}</code>
        <span className="text-sm font-normal text-slate-600">{op.summary}</span>
      </h3>
      <Markdown text={op.description} />
      {parameters.length > 0 && (
        <div>
          <h4 className="mb-2 text-sm font-semibold text-slate-950">Parameters</h4>
          <ul className="space-y-1 text-sm text-slate-700">
            {parameters.map((p) => (
              <li key={`${p.in}-${p.name}`}>
                <code className="font-mono text-slate-950">{p.name}</code>{' '}
                <span className="font-mono text-xs text-slate-600">
                  ({p.in}
                  {p.required ? ', required' : ''}, {typeLabel(p.schema)})
                </span>
                : {p.description ? <Inline text={p.description} /> : null}
                {Array.isArray(p.schema.enum) && <span className="block text-xs text-slate-600">One of: {p.schema.enum.map((v) => JSON.stringify(v)).join(', ')}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {op.requestBody && (
        <div className="space-y-3">
          <h4 className="text-sm font-semibold text-slate-950">Request body</h4>
          {Object.entries(op.requestBody.content).map(([type, media]) => (
            <div key={type} className="space-y-2">
              <p className="font-mono text-xs text-slate-600">{type}</p>
              {/* The request's own fields inline; the schema's section has the same table. */}
              <SchemaView schema={doc.components.schemas[refName(media.schema) ?? ''] ?? media.schema} />
              {media.example !== undefined && <pre className="overflow-x-auto rounded-md bg-slate-950 p-3 text-xs text-slate-100">{JSON.stringify(media.example, null, 2)}</pre>}
            </div>
          ))}
        </div>
      )}
      <div>
        <h4 className="mb-2 text-sm font-semibold text-slate-950">Responses</h4>
        <ul className="space-y-1 text-sm text-slate-700">
          {Object.entries(op.responses).map(([status, r]) => {
            const response = resolveResponse(doc, r);
            const schemas = Object.entries(response?.content ?? {});
            return (
              <li key={status}>
                <span className="font-mono font-semibold text-slate-950">{status}</span> {response ? <Inline text={response.description} /> : null}{' '}
                {schemas.map(([type, media]) => {
                  const name = typeof media.schema.$ref === 'string' ? media.schema.$ref.replace('#/components/schemas/', '') : null;
                  return name ? (
                    <a key={type} href={`#${schemaAnchor(name)}`} className="font-mono text-xs text-brand-700 underline">
                      {name}
                    </a>
                  ) : (
                    <span key={type} className="font-mono text-xs">
                      {type}
                    </span>
                  );
                })}
              </li>
            );
          })}
        </ul>
      </div>
      {op['x-codeSamples'].map((sample) => (
        <div key={sample.label}>
          <h4 className="mb-2 text-sm font-semibold text-slate-950">Example: {sample.label}</h4>
          <pre className="overflow-x-auto rounded-md bg-slate-950 p-3 text-xs text-slate-100">{sample.source}</pre>
        </div>
      ))}
    </article>
  );
}

export default function ApiReferencePage() {
  const doc = buildOpenApiDocument({ serverUrl: getConfig().app.url });
  const operations = operationsOf(doc);
  const errors = problemCatalogue();
  const schemaNames = Object.keys(doc.components.schemas).sort();
  return (
    <div className="mx-auto max-w-5xl space-y-10 px-4 py-12 sm:px-6">
      <header className="space-y-3">
        <p className="text-sm font-medium text-brand-700">Enterprise · version {doc.info.version}</p>
        <h1 className="text-3xl font-bold tracking-tight text-slate-950">{doc.info.title}</h1>
        <p className="max-w-3xl text-slate-700">{doc.info.summary}</p>
        <p className="text-sm text-slate-700">
          The machine-readable document:{' '}
          <a className="font-mono text-brand-700 underline" href="/api/v1/openapi.json">
            /api/v1/openapi.json
          </a>{' '}
          (OpenAPI 3.1). The API is part of the{' '}
          <Link className="text-brand-700 underline" href="/pricing">
            Enterprise plan
          </Link>
          .
        </p>
      </header>

      <nav aria-label="On this page" className="rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm">
        <ul className="grid gap-1 sm:grid-cols-2">
          <li>
            <a href="#overview" className="text-brand-700 underline">
              Authentication, scopes, limits, idempotency
            </a>
          </li>
          {operations.map(({ method, path, op }) => (
            <li key={op.operationId}>
              <a href={`#${op.operationId}`} className="text-brand-700 underline">
                <span className="font-mono uppercase">{method}</span> <span className="font-mono">{path}</span>
              </a>
            </li>
          ))}
          <li>
            <a href="#errors" className="text-brand-700 underline">
              Errors
            </a>
          </li>
          <li>
            <a href="#schemas" className="text-brand-700 underline">
              Schemas
            </a>
          </li>
        </ul>
      </nav>

      <Section id="overview" title="Overview">
        <Markdown text={doc.info.description} />
      </Section>

      <Section id="endpoints" title="Endpoints">
        <div className="space-y-6">
          {operations.map((operation) => (
            <OperationView key={operation.op.operationId} doc={doc} operation={operation} />
          ))}
        </div>
      </Section>

      <Section id="errors" title="Errors">
        <p className="text-sm text-slate-700">
          Every error is <code className="font-mono">application/problem+json</code> (RFC 9457): <code className="font-mono">type</code>, <code className="font-mono">title</code>,{' '}
          <code className="font-mono">status</code>, <code className="font-mono">detail</code>, <code className="font-mono">instance</code>, a stable{' '}
          <code className="font-mono">code</code> and the <code className="font-mono">requestId</code>. Program against <code className="font-mono">code</code>; show{' '}
          <code className="font-mono">detail</code> to people.
        </p>
        <table className="w-full border-collapse text-left text-sm">
          <thead className="bg-slate-50 text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2">
                Status
              </th>
              <th scope="col" className="px-3 py-2">
                Code
              </th>
              <th scope="col" className="px-3 py-2">
                When
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 align-top">
            {errors.map((e) => (
              <tr key={e.code} id={`error-${e.code}`} className="scroll-mt-20">
                <td className="px-3 py-2 font-mono">{e.status}</td>
                <td className="px-3 py-2">
                  <code className="font-mono text-slate-950">{e.code}</code>
                  <span className="block text-xs text-slate-600">{e.title}</span>
                </td>
                <td className="px-3 py-2 text-slate-700">
                  <Markdown text={e.description} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section id="schemas" title="Schemas">
        <div className="space-y-6">
          {schemaNames.map((name) => {
            const schema = doc.components.schemas[name];
            return schema ? (
              <article key={name} id={schemaAnchor(name)} aria-labelledby={`${schemaAnchor(name)}-heading`} className="scroll-mt-20 space-y-2 rounded-lg border border-slate-200 p-5">
                <h3 id={`${schemaAnchor(name)}-heading`} className="font-mono text-base font-semibold text-slate-950">
                  {name}
                </h3>
                <SchemaView schema={schema} />
              </article>
            ) : null;
          })}
        </div>
      </Section>
    </div>
  );
}
