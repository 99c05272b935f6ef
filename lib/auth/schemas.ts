// Form schemas shared by the browser forms and the server.
import { z } from 'zod';

export const emailField = z
  .string({ message: 'Enter your email address.' })
  .trim()
  .min(1, { message: 'Enter your email address.' })
  .max(254, { message: 'That email address is too long.' })
  .pipe(z.email({ message: 'Enter a valid email address, like name@clinic.com.' }))
  .transform((email) => email.toLowerCase());

export const personNameField = z
  .string({ message: 'Enter your name.' })
  .trim()
  .min(1, { message: 'Enter your name.' })
  .max(120, { message: 'Use at most 120 characters.' });

export const clinicNameField = z
  .string({ message: "Enter your clinic's name." })
  .trim()
  .min(2, { message: "Enter your clinic's name." })
  .max(120, { message: 'Use at most 120 characters.' });

const codePoints = (value: string) => [...value].length;

/**
 * Length only here (counted in characters, as checkPassword does); strength and
 * personal-data checks run in checkPassword(), on the server, where zxcvbn's
 * dictionaries live.
 */
export const newPasswordField = z
  .string({ message: 'Choose a password.' })
  .refine((v) => codePoints(v) >= 12, { message: 'Use at least 12 characters.' })
  .refine((v) => codePoints(v) <= 128, { message: 'Use at most 128 characters.' });

export const signUpSchema = z.object({
  name: personNameField,
  email: emailField,
  password: newPasswordField,
  clinicName: clinicNameField,
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailField,
  password: z.string().min(1, { message: 'Enter your password.' }).max(1024),
});
