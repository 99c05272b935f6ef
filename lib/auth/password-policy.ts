// The rules a new password must meet: length and guessability, no composition
// rules (NIST SP 800-63B). Messages are shown to the user and never quote the password.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn's 0–4 scale; 3 is "safely unguessable" against an online and a moderately slow offline attack. */
const MIN_SCORE = 3;
/** Email local parts and clinic names shorter than this are too common to forbid. */
const MIN_FORBIDDEN_LENGTH = 4;

const MESSAGES = {
  tooShort: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  tooLong: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  email: 'Your password must not contain your email address.',
  localPart: 'Your password must not contain the part of your email address before the @.',
  clinic: "Your password must not contain the clinic's name.",
  weak: 'This password is too easy to guess. Try a longer phrase of unrelated words.',
} as const;

export interface PasswordContext {
  password: string;
  email: string;
  name?: string;
  clinicName?: string;
}

export type PasswordCheck = { ok: true } | { ok: false; message: string };

/** Length in Unicode code points, so an emoji counts as one character, as the user sees it. */
function length(value: string): number {
  return [...value].length;
}

// Loading the dictionaries takes a few hundred milliseconds: do it once, on first use.
let factory: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: zxcvbnEn.translations,
    graphs: zxcvbnCommon.adjacencyGraphs,
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
  });
  return factory;
}

/** Whole values and their words, so "Northside Eye Care" also penalises "northside". */
function userInputs(values: string[]): string[] {
  const inputs = new Set<string>(['maneiro']);
  for (const value of values.map((v) => v.trim().toLowerCase()).filter(Boolean)) {
    inputs.add(value);
    for (const word of value.split(/[^\p{L}\p{N}]+/u)) if (length(word) >= 3) inputs.add(word);
  }
  return [...inputs];
}

/** The name as typed and with spaces and punctuation removed ("northsideeyecare"). */
function forbiddenForms(value: string): string[] {
  const plain = value.trim().toLowerCase();
  const compact = plain.replace(/[^\p{L}\p{N}]+/gu, '');
  return [plain, compact].filter((form) => length(form) >= MIN_FORBIDDEN_LENGTH);
}

export function checkPassword({ password, email, name, clinicName }: PasswordContext): PasswordCheck {
  const size = length(password);
  if (size < PASSWORD_MIN_LENGTH) return { ok: false, message: MESSAGES.tooShort };
  if (size > PASSWORD_MAX_LENGTH) return { ok: false, message: MESSAGES.tooLong };

  const lowered = password.toLowerCase();
  const address = email.trim().toLowerCase();
  const localPart = address.split('@')[0] ?? '';
  if (address !== '' && lowered.includes(address)) return { ok: false, message: MESSAGES.email };
  if (length(localPart) >= MIN_FORBIDDEN_LENGTH && lowered.includes(localPart)) {
    return { ok: false, message: MESSAGES.localPart };
  }
  if (clinicName && forbiddenForms(clinicName).some((form) => lowered.includes(form))) {
    return { ok: false, message: MESSAGES.clinic };
  }

  const inputs = userInputs([address, localPart, name ?? '', clinicName ?? '']);
  if (zxcvbn().check(password, inputs).score < MIN_SCORE) return { ok: false, message: MESSAGES.weak };
  return { ok: true };
}
