// Reading an API request's JSON body: bounded (a client cannot make the server
// buffer more than the limit), parsed, and answered with a problem when it is
// not JSON. Field errors from zod are keyed by the field's path.
import type { z } from 'zod';
import { AppError } from '@/lib/errors';

/** Pasted text can be 200,000 characters (up to 4 bytes each in UTF-8), plus the other fields. */
export const MAX_JSON_BYTES = 1024 * 1024;

export function isJson(headers: Headers): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(headers.get('content-type') ?? '');
}

export function isMultipart(headers: Headers): boolean {
  return /^multipart\/form-data\s*;/i.test(headers.get('content-type') ?? '');
}

const tooLarge = () => new AppError('payload_too_large', { message: 'json body over the limit', userMessage: `JSON bodies can be at most ${MAX_JSON_BYTES / 1024} KB. Send files as multipart/form-data.` });

export async function readJson(headers: Headers, body: ReadableStream<Uint8Array> | null, maxBytes = MAX_JSON_BYTES): Promise<unknown> {
  const declared = Number(headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (body) {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('bad_request', { message: 'body is not json', userMessage: 'The body is not valid JSON.' });
  }
}

/** Messages per field ("reason.text"), unknown fields named one by one. */
export function apiFieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) (out[base ? `${base}.${key}` : key] ??= []).push('This field is not part of the API. Check its spelling against the reference.');
      continue;
    }
    (out[base || 'body'] ??= []).push(issue.message);
  }
  return out;
}

/** A data-layer validation error with one field renamed (the web form's uploadId is the API's file). */
export function renameField(error: unknown, from: string, to: string): unknown {
  if (!(error instanceof AppError) || !error.fieldErrors?.[from]) return error;
  const { [from]: moved, ...rest } = error.fieldErrors;
  return new AppError(error.code, { message: error.message, userMessage: error.userMessage, fieldErrors: { ...rest, [to]: moved ?? [] }, cause: error });
}
