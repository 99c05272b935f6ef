// Input of the webhook settings, shared by the form and the server.
import { z } from 'zod';
import { WEBHOOK_DESCRIPTION_MAX_LENGTH, WEBHOOK_EVENTS, WEBHOOK_URL_MAX_LENGTH } from './events';

const eventsField = z
  .array(z.enum(WEBHOOK_EVENTS, { message: 'Choose events from the list.' }), { message: 'Choose at least one event.' })
  .min(1, { message: 'Choose at least one event.' })
  .transform((events) => WEBHOOK_EVENTS.filter((e) => events.includes(e)));

const descriptionField = z
  .string({ message: 'Describe the endpoint in words.' })
  .trim()
  .max(WEBHOOK_DESCRIPTION_MAX_LENGTH, { message: `Keep the description under ${WEBHOOK_DESCRIPTION_MAX_LENGTH} characters.` })
  .transform((value) => value || null);

export const createEndpointSchema = z.object({
  url: z
    .string({ message: 'Enter the URL of your endpoint.' })
    .trim()
    .min(1, { message: 'Enter the URL of your endpoint.' })
    .max(WEBHOOK_URL_MAX_LENGTH, { message: `The URL is too long (at most ${WEBHOOK_URL_MAX_LENGTH} characters).` }),
  description: descriptionField.optional().transform((value) => value ?? null),
  events: eventsField,
});
export type CreateEndpointInput = z.input<typeof createEndpointSchema>;

export const updateEndpointSchema = z
  .object({ enabled: z.boolean({ message: 'Choose enabled or disabled.' }).optional(), events: eventsField.optional(), description: descriptionField.optional() })
  .refine((v) => v.enabled !== undefined || v.events !== undefined || v.description !== undefined, { message: 'Nothing to change.' });
export type UpdateEndpointInput = z.input<typeof updateEndpointSchema>;
