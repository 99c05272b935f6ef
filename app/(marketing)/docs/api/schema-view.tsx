// A JSON Schema (2020-12, as the OpenAPI document holds it) as a readable table:
// each property with its type, whether it is required, its allowed values and
// description; nested objects inline up to a depth, named schemas as links.
import type { JsonSchema } from '@/lib/api/openapi';
import { Inline } from './markdown';

const MAX_DEPTH = 3;

const isObject = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);
const asSchemas = (value: unknown): JsonSchema[] => (Array.isArray(value) ? value.filter(isObject) : []);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export const schemaAnchor = (name: string) => `schema-${name}`;
export const refName = (schema: JsonSchema): string | null => str(schema.$ref)?.replace('#/components/schemas/', '') ?? null;

function alternatives(schema: JsonSchema): JsonSchema[] {
  return [...asSchemas(schema.anyOf), ...asSchemas(schema.oneOf)];
}

/** "string (uuid)", "integer, 1–100", "array of Job", "Letter or null", … */
export function typeLabel(schema: JsonSchema): string {
  const name = refName(schema);
  if (name) return name;
  const alts = alternatives(schema);
  if (alts.length > 0) return alts.map(typeLabel).join(' or ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const type = str(schema.type) ?? (isObject(schema.properties) ? 'object' : 'any');
  if (type === 'array') return `array of ${isObject(schema.items) ? typeLabel(schema.items) : 'any'}`;
  const format = str(schema.format);
  const range = [schema.minimum, schema.maximum].every((n) => typeof n === 'number') ? `, ${String(schema.minimum)}–${String(schema.maximum)}` : '';
  const length = typeof schema.maxLength === 'number' ? `, ≤ ${schema.maxLength} characters` : '';
  return `${type}${format ? ` (${format})` : ''}${range}${length}`;
}

function Values({ schema }: { schema: JsonSchema }) {
  const values = Array.isArray(schema.enum) ? schema.enum : alternatives(schema).flatMap((a) => (Array.isArray(a.enum) ? a.enum : []));
  if (values.length === 0) return null;
  return (
    <span className="mt-1 block text-xs text-slate-600">
      One of:{' '}
      {values.map((v, i) => (
        <code key={i} className="mr-1 rounded bg-slate-100 px-1 font-mono">
          {JSON.stringify(v)}
        </code>
      ))}
    </span>
  );
}

/** The object a property holds, when it is worth expanding inline. */
function nestedObject(schema: JsonSchema): JsonSchema | null {
  if (isObject(schema.properties)) return schema;
  if (str(schema.type) === 'array' && isObject(schema.items) && isObject(schema.items.properties)) return schema.items;
  const objects = alternatives(schema).filter((a) => isObject(a.properties));
  return objects.length === 1 ? (objects[0] ?? null) : null;
}

export function SchemaView({ schema, depth = 0 }: { schema: JsonSchema; depth?: number }) {
  const name = refName(schema);
  if (name) {
    return (
      <p className="text-sm">
        <a className="font-mono text-brand-700 underline" href={`#${schemaAnchor(name)}`}>
          {name}
        </a>
      </p>
    );
  }
  const variants = alternatives(schema).filter((a) => isObject(a.properties));
  if (variants.length > 1) {
    return (
      <div className="space-y-3">
        <p className="text-sm text-slate-700">One of {variants.length} shapes:</p>
        {variants.map((variant, i) => (
          <div key={i} className="border-l-2 border-slate-200 pl-3">
            <SchemaView schema={variant} depth={depth} />
          </div>
        ))}
      </div>
    );
  }
  const object = nestedObject(schema);
  if (!object || !isObject(object.properties)) return <p className="font-mono text-sm text-slate-700">{typeLabel(schema)}</p>;
  const required = new Set(Array.isArray(object.required) ? object.required.map(String) : []);
  return (
    <table className="w-full border-collapse text-left text-sm">
      <thead className="text-xs text-slate-600">
        <tr>
          <th scope="col" className="w-1/4 py-1 pr-3 font-medium">
            Field
          </th>
          <th scope="col" className="py-1 font-medium">
            Type and meaning
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 align-top">
        {Object.entries(object.properties).map(([field, value]) => {
          const property = isObject(value) ? value : {};
          const inner = depth < MAX_DEPTH && !refName(property) ? nestedObject(property) : null;
          const description = str(property.description);
          return (
            <tr key={field}>
              <td className="py-2 pr-3">
                <code className="font-mono text-slate-950">{field}</code>
                {required.has(field) && <span className="block text-xs text-slate-500">required</span>}
              </td>
              <td className="py-2">
                <span className="font-mono text-xs text-slate-700">{typeLabel(property)}</span>
                {description && (
                  <span className="block text-slate-700">
                    <Inline text={description} />
                  </span>
                )}
                <Values schema={property} />
                {inner && (
                  <div className="mt-2 border-l-2 border-slate-200 pl-3">
                    <SchemaView schema={inner} depth={depth + 1} />
                  </div>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
