// What an API key may do, and the form that creates one. Client-safe (zod only):
// the settings page validates with the same schema the data layer enforces.
import { z } from 'zod';

export const API_SCOPES = ['jobs:read', 'jobs:write', 'letters:read', 'letters:write', 'usage:read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  'jobs:read': 'List jobs and read their status and results',
  'jobs:write': 'Start analyses, triages and transcriptions, and cancel jobs',
  'letters:read': 'Read letters and download their PDFs',
  'letters:write': 'Start letters from completed analyses',
  'usage:read': 'Read the clinic’s usage this period',
};

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}

export const createApiKeySchema = z.object({
  name: z
    .string({ message: 'Name the key after what uses it, for example "EHR integration".' })
    .trim()
    .min(2, 'Name the key after what uses it, for example "EHR integration".')
    .max(80, 'Keep the name to 80 characters or fewer.')
    .refine((v) => !/\p{Cc}/u.test(v), 'The name contains characters that cannot be shown.'),
  scopes: z
    .array(z.enum(API_SCOPES, { message: 'Choose scopes from the list.' }), { message: 'Choose at least one scope.' })
    .min(1, 'Choose at least one scope.')
    .transform((scopes) => API_SCOPES.filter((s) => scopes.includes(s))),
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;
