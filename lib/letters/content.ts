// A letter's body as structured content: headings, paragraphs and lists made of
// text runs that may be bold or italic. This is what is stored, versioned,
// edited and rendered (web page, clipboard, PDF). It is never HTML: a model's
// answer is turned into runs of plain text, markup in it is stripped to its
// text, and every renderer escapes what it prints.
import { z } from 'zod';

export const MAX_BLOCKS = 400;
/** One run can be a whole paragraph in one style (runs of the same style are merged). */
export const MAX_RUN_LENGTH = 20_000;
export const MAX_LETTER_CHARACTERS = 60_000;

export const textRunSchema = z.object({
  text: z.string().min(1).max(MAX_RUN_LENGTH),
  bold: z.boolean().optional(),
  italic: z.boolean().optional(),
});
export type TextRun = z.infer<typeof textRunSchema>;

const runs = z.array(textRunSchema).min(1).max(200);

export const letterBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('heading'), runs }),
  z.object({ type: z.literal('paragraph'), runs }),
  z.object({ type: z.literal('list'), ordered: z.boolean(), items: z.array(runs).min(1).max(100) }),
]);
export type LetterBlock = z.infer<typeof letterBlockSchema>;

export const letterContentSchema = z
  .object({ blocks: z.array(letterBlockSchema).min(1, 'The letter is empty.').max(MAX_BLOCKS, `A letter can have at most ${MAX_BLOCKS} blocks.`) })
  .superRefine((content, ctx) => {
    if (contentLength(content) > MAX_LETTER_CHARACTERS) {
      ctx.addIssue({ code: 'custom', message: `A letter can be at most ${MAX_LETTER_CHARACTERS.toLocaleString('en-US')} characters.` });
    }
    if (plainText(content).trim() === '') ctx.addIssue({ code: 'custom', message: 'The letter is empty.' });
  });
export type LetterContent = z.infer<typeof letterContentSchema>;

function blockRuns(block: LetterBlock): TextRun[][] {
  return block.type === 'list' ? block.items : [block.runs];
}

function contentLength(content: { blocks: LetterBlock[] }): number {
  let n = 0;
  for (const block of content.blocks) for (const r of blockRuns(block)) for (const run of r) n += run.text.length;
  return n;
}

const TAG = /<\/?[a-zA-Z][^<>]*>|<!--[\s\S]*?-->/g;
const SCRIPT_OR_STYLE = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
// Control characters other than tab and newline never belong in a letter.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Plain text from whatever a model or a paste produced: script and style elements are
 * dropped with their contents, other tags are removed (their text stays), whitespace is
 * collapsed. What remains is printed as text by every renderer, so `<` and `&` are harmless.
 */
export function sanitizeText(value: string): string {
  return value.replace(SCRIPT_OR_STYLE, ' ').replace(TAG, '').replace(CONTROL, '').replace(/[ \t\r\n]+/g, ' ').trim();
}

/** Runs with clean text, empty ones dropped and neighbours of the same style merged. */
export function normalizeRuns(input: readonly TextRun[]): TextRun[] {
  const out: TextRun[] = [];
  for (const run of input) {
    const text = run.text.replace(CONTROL, '').replace(/[\r\n\t]+/g, ' ');
    if (text === '') continue;
    const style = { ...(run.bold ? { bold: true } : {}), ...(run.italic ? { italic: true } : {}) };
    const last = out.at(-1);
    if (last && !!last.bold === !!style.bold && !!last.italic === !!style.italic) last.text += text;
    else out.push({ text, ...style });
  }
  const head = out[0];
  if (head) head.text = head.text.replace(/^\s+/, '');
  const tail = out.at(-1);
  if (tail) tail.text = tail.text.replace(/\s+$/, '');
  return out.filter((r) => r.text !== '');
}

/** Content with every run normalised and empty blocks removed (what is stored). */
export function normalizeContent(content: { blocks: readonly LetterBlock[] }): { blocks: LetterBlock[] } {
  const blocks: LetterBlock[] = [];
  for (const block of content.blocks) {
    if (block.type === 'list') {
      const items = block.items.map((item) => normalizeRuns(item)).filter((item) => item.length > 0);
      if (items.length > 0) blocks.push({ type: 'list', ordered: block.ordered, items });
    } else {
      const r = normalizeRuns(block.runs);
      if (r.length > 0) blocks.push({ type: block.type, runs: r });
    }
  }
  return { blocks };
}

/** A plain-text paragraph (already sanitised) as a block. */
export const paragraph = (text: string): LetterBlock => ({ type: 'paragraph', runs: [{ text }] });
export const heading = (text: string): LetterBlock => ({ type: 'heading', runs: [{ text }] });
export const list = (items: readonly string[], ordered = false): LetterBlock => ({ type: 'list', ordered, items: items.map((text) => [{ text }]) });

const runsText = (r: readonly TextRun[]): string => r.map((run) => run.text).join('');

/** The letter as plain text: paragraphs separated by blank lines, lists as "- " or "1. " lines. */
export function plainText(content: { blocks: readonly LetterBlock[] }): string {
  return content.blocks
    .map((block) => {
      if (block.type === 'list') return block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '-'} ${runsText(item)}`).join('\n');
      return runsText(block.runs);
    })
    .join('\n\n');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

function runsHtml(r: readonly TextRun[]): string {
  return r
    .map((run) => {
      let html = escapeHtml(run.text);
      if (run.italic) html = `<em>${html}</em>`;
      if (run.bold) html = `<strong>${html}</strong>`;
      return html;
    })
    .join('');
}

/** The letter as HTML built from escaped text (for "copy as rich text"); never contains markup from the text itself. */
export function toHtml(content: { blocks: readonly LetterBlock[] }): string {
  return content.blocks
    .map((block) => {
      if (block.type === 'heading') return `<h2>${runsHtml(block.runs)}</h2>`;
      if (block.type === 'paragraph') return `<p>${runsHtml(block.runs)}</p>`;
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>${block.items.map((item) => `<li>${runsHtml(item)}</li>`).join('')}</${tag}>`;
    })
    .join('\n');
}
