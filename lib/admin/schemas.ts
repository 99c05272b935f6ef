// Inputs of the operator console's actions, shared by the forms and the server.
import { z } from 'zod';

export const PAUSE_REASON_MAX_LENGTH = 500;

export const retryJobInputSchema = z.object({
  jobId: z.uuid({ message: 'That is not a job id.' }),
});
export type RetryJobInput = z.input<typeof retryJobInputSchema>;

export const setClinicPausedSchema = z
  .object({
    clinicId: z.uuid({ message: 'That is not a clinic id.' }),
    paused: z.boolean({ message: 'Choose pause or resume.' }),
    reason: z
      .string({ message: 'Enter the reason as text.' })
      .trim()
      .max(PAUSE_REASON_MAX_LENGTH, { message: `Use at most ${PAUSE_REASON_MAX_LENGTH} characters.` })
      .optional()
      .transform((v) => (v === undefined || v === '' ? null : v)),
  })
  // Members see the reason on their banner: a pause without one leaves them guessing.
  .refine((v) => !v.paused || (v.reason !== null && v.reason.length >= 3), {
    path: ['reason'],
    message: 'Say why the clinic is paused (at least 3 characters); its members see this.',
  });
export type SetClinicPausedInput = z.input<typeof setClinicPausedSchema>;
