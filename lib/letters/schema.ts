// The draft every letter writer returns: a subject, a salutation, sections of
// plain paragraphs and bullets, and a sign-off. It is deliberately not HTML or
// markdown: the pipeline turns each string into sanitised text runs
// (LetterContent), so nothing a model writes is ever rendered as markup.
// Client-safe: zod only.
import { z } from 'zod';
import {
  MAX_RUN_LENGTH,
  heading,
  letterContentSchema,
  list,
  normalizeContent,
  paragraph,
  sanitizeText,
  type LetterBlock,
  type LetterContent,
} from './content';

const text = z.string().trim().min(1);

export const letterSectionSchema = z.object({
  /** Null for untitled parts (the opening and closing paragraphs). */
  heading: text.nullable(),
  paragraphs: z.array(text).max(30),
  bullets: z.array(text).max(40),
});
export type LetterSection = z.infer<typeof letterSectionSchema>;

/** What a writer must return (also the structured-output schema sent to the model). */
export const letterOutputSchema = z.object({
  /** The "Re" line, without the patient's name. */
  subject: text,
  /** "Dear Dr. Silva," */
  salutation: text,
  sections: z.array(letterSectionSchema).min(1).max(40),
  /** The sign-off phrase only ("With kind regards,"): the signature and name are the PDF's. */
  closing: text,
});
export type LetterOutput = z.infer<typeof letterOutputSchema>;

/** What the pipeline falls back to when a repaired draft lacks a part. */
export interface LetterDefaults {
  subject: string;
  salutation: string;
  closing: string;
}

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);
const strings = (v: unknown, max: number): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v])
    .map((x) => str(typeof x === 'object' && x !== null ? (record(x).text ?? record(x).content) : x))
    .filter((x): x is string => x !== null)
    .slice(0, max);

function firstOf(o: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) if (o[key] !== undefined && o[key] !== null) return o[key];
  return undefined;
}

function repairSection(raw: unknown): LetterSection | null {
  if (typeof raw === 'string') return raw.trim() ? { heading: null, paragraphs: [raw.trim()], bullets: [] } : null;
  const o = record(raw);
  const section = {
    heading: str(firstOf(o, ['heading', 'title'])),
    paragraphs: strings(firstOf(o, ['paragraphs', 'paragraph', 'text', 'body', 'content']), 30),
    bullets: strings(firstOf(o, ['bullets', 'items', 'list', 'points']), 40),
  };
  return section.paragraphs.length > 0 || section.bullets.length > 0 ? section : null;
}

/**
 * Best-effort repair of a draft that failed the schema: parts under other common
 * names, a lone string where a list belongs, missing subject/salutation/closing
 * filled from the request. Returns null when no body text can be found at all.
 */
export function repairLetterOutput(raw: unknown, defaults: LetterDefaults): LetterOutput | null {
  const o = record(raw);
  const rawSections = firstOf(o, ['sections', 'body', 'paragraphs']);
  const sections = (Array.isArray(rawSections) ? rawSections : rawSections === undefined ? [] : [rawSections])
    .map(repairSection)
    .filter((s): s is LetterSection => s !== null)
    .slice(0, 40);
  if (sections.length === 0) return null;
  return {
    subject: str(firstOf(o, ['subject', 're', 'title'])) ?? defaults.subject,
    salutation: str(firstOf(o, ['salutation', 'greeting'])) ?? defaults.salutation,
    sections,
    closing: str(firstOf(o, ['closing', 'signOff', 'sign_off', 'valediction'])) ?? defaults.closing,
  };
}

// Entities are decoded once, before tags are stripped, so "&lt;script&gt;" is
// removed like "<script>" and "IOP &lt; 21" reads "IOP < 21" (renderers escape it).
const ENTITY = /&(?:(lt|gt|amp|quot|apos|nbsp)|#([0-9]{1,7})|#x([0-9a-f]{1,6}));/gi;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };

export function decodeEntities(value: string): string {
  return value.replace(ENTITY, (match, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return NAMED[name.toLowerCase()] ?? match;
    const code = dec ? Number(dec) : Number.parseInt(hex ?? '', 16);
    if (!Number.isFinite(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return match;
    return String.fromCodePoint(code);
  });
}

/** Plain text from one string of a draft: entities decoded, tags stripped, markdown emphasis removed. */
export function cleanDraftText(value: string): string {
  return sanitizeText(decodeEntities(value))
    .replace(/\*\*(.+?)\*\*|__(.+?)__/g, (_m, a: string | undefined, b: string | undefined) => a ?? b ?? '')
    .trim();
}

const clean = (value: string): string => cleanDraftText(value);
/** List markers and heading hashes a model may add despite the instructions. */
const cleanBullet = (value: string): string => clean(value).replace(/^(?:[-*•·–]\s+|\d{1,2}[.)]\s+)/, '');
const cleanHeading = (value: string): string => clean(value).replace(/^#{1,6}\s*/, '');

/** The sign-off phrase only: a name or title a model adds under it is the PDF's to print. */
export function signOffOnly(closing: string): string {
  const lines = closing
    .replace(/<br\s*\/?>/gi, '\n')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const lastComma = lines.findLastIndex((l) => l.endsWith(','));
  return (lastComma >= 0 ? lines.slice(0, lastComma + 1) : lines).join(' ');
}

/** Splits text longer than a run may be at sentence ends (or hard, when a sentence alone is too long). */
function chunks(value: string, max = MAX_RUN_LENGTH): string[] {
  if (value.length <= max) return [value];
  const out: string[] = [];
  let current = '';
  for (const sentence of value.match(/[^.!?]+[.!?]*\s*/g) ?? [value]) {
    if ((current + sentence).length > max && current !== '') {
      out.push(current.trim());
      current = '';
    }
    current += sentence;
    while (current.length > max) {
      out.push(current.slice(0, max));
      current = current.slice(max);
    }
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

/** Applies `transform` (e.g. removing codes a reader must not see) to every text of a draft after cleaning. */
export type TextTransform = (value: string) => string;

/**
 * The draft as stored content: every string sanitised, empty parts dropped,
 * normalised and checked against letterContentSchema. Null when nothing valid
 * remains (an empty letter, or one over the size limits).
 */
export function draftToContent(output: LetterOutput, transform: TextTransform = (v) => v): LetterContent | null {
  const tidy = (v: string, how: (s: string) => string = clean) => transform(how(v)).replace(/\s+/g, ' ').trim();
  const blocks: LetterBlock[] = [];
  const para = (v: string) => {
    for (const part of chunks(tidy(v))) if (part) blocks.push(paragraph(part));
  };
  para(output.salutation);
  const bodyStart = blocks.length;
  for (const section of output.sections) {
    const title = section.heading === null ? '' : tidy(section.heading, cleanHeading);
    if (title) blocks.push(heading(title.slice(0, MAX_RUN_LENGTH)));
    for (const p of section.paragraphs) para(p);
    const items = section.bullets.flatMap((b) => chunks(tidy(b, cleanBullet))).filter((b) => b !== '');
    if (items.length > 0) blocks.push(list(items.slice(0, 100)));
  }
  // A letter whose sections were all markup (or empty) has no body, whatever its greeting.
  if (!blocks.slice(bodyStart).some((b) => b.type !== 'heading')) return null;
  para(signOffOnly(output.closing));
  const parsed = letterContentSchema.safeParse(normalizeContent({ blocks }));
  return parsed.success ? parsed.data : null;
}
