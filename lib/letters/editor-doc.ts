// Conversion between the stored letter body (LetterContent) and the editor's
// document (TipTap / ProseMirror JSON). Pure: no React, no DOM, safe on the
// client and the server. The editor's schema is narrowed to what LetterContent
// can hold (components/letters/letter-extensions.ts), but a document may still
// carry other nodes (older clients, a different schema, hand-built JSON), so
// docToContent keeps their text and drops their structure rather than failing.
import type { JSONContent } from '@tiptap/core';
import {
  MAX_BLOCKS,
  MAX_RUN_LENGTH,
  letterContentSchema,
  normalizeContent,
  type LetterBlock,
  type LetterContent,
  type TextRun,
} from './content';

/** The heading level the editor uses for the one heading style a letter has. */
export const LETTER_HEADING_LEVEL = 2;

function textNodes(runs: readonly TextRun[]): JSONContent[] {
  return runs
    .filter((run) => run.text !== '')
    .map((run) => {
      const marks = [...(run.bold ? [{ type: 'bold' }] : []), ...(run.italic ? [{ type: 'italic' }] : [])];
      return marks.length > 0 ? { type: 'text', text: run.text, marks } : { type: 'text', text: run.text };
    });
}

// ProseMirror rejects an empty `content` array on some nodes; an empty paragraph has none.
function textblock(type: string, runs: readonly TextRun[], attrs?: Record<string, unknown>): JSONContent {
  const content = textNodes(runs);
  return { type, ...(attrs ? { attrs } : {}), ...(content.length > 0 ? { content } : {}) };
}

/** The editor document for a letter body: level-2 headings, paragraphs, bullet and ordered lists. */
export function contentToDoc(content: LetterContent): JSONContent {
  const blocks: JSONContent[] = content.blocks.map((block) => {
    if (block.type === 'heading') return textblock('heading', block.runs, { level: LETTER_HEADING_LEVEL });
    if (block.type === 'paragraph') return textblock('paragraph', block.runs);
    return {
      type: block.ordered ? 'orderedList' : 'bulletList',
      content: block.items.map((item) => ({ type: 'listItem', content: [textblock('paragraph', item)] })),
    };
  });
  // A ProseMirror document needs at least one block; an empty letter is one empty paragraph.
  return { type: 'doc', content: blocks.length > 0 ? blocks : [{ type: 'paragraph' }] };
}

const LIST_TYPES = new Set(['bulletList', 'orderedList']);
const BOLD_MARKS = new Set(['bold', 'strong']);
const ITALIC_MARKS = new Set(['italic', 'em']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A node's children, or none when the JSON is not shaped as expected. */
function childrenOf(node: JSONContent): JSONContent[] {
  return Array.isArray(node.content) ? node.content.filter(isRecord) : [];
}

const isInline = (node: JSONContent): boolean => node.type === 'text' || node.type === 'hardBreak';

function styleOf(node: JSONContent): Pick<TextRun, 'bold' | 'italic'> {
  const marks = Array.isArray(node.marks) ? node.marks.filter(isRecord) : [];
  const bold = marks.some((mark) => typeof mark.type === 'string' && BOLD_MARKS.has(mark.type));
  const italic = marks.some((mark) => typeof mark.type === 'string' && ITALIC_MARKS.has(mark.type));
  return { ...(bold ? { bold: true } : {}), ...(italic ? { italic: true } : {}) };
}

/**
 * Text runs gathered from inline nodes. A break (a hard break, or the edge of a block
 * nested where only text fits) becomes one space, and only between two pieces of text
 * that do not already meet at whitespace; the space takes the previous run's style so
 * neighbouring runs still merge.
 */
class RunCollector {
  readonly runs: TextRun[] = [];
  private pendingBreak = false;

  text(text: string, style: Pick<TextRun, 'bold' | 'italic'>): void {
    if (text === '') return;
    const last = this.runs.at(-1);
    if (this.pendingBreak && last && !/\s$/.test(last.text) && !/^\s/.test(text)) this.runs.push({ ...last, text: ' ' });
    this.pendingBreak = false;
    this.runs.push({ text, ...style });
  }

  break(): void {
    this.pendingBreak = true;
  }
}

/** The text runs inside a node, at any depth. */
function collectRuns(node: JSONContent, out: RunCollector): void {
  if (node.type === 'text') {
    if (typeof node.text === 'string') out.text(node.text, styleOf(node));
    return;
  }
  if (node.type === 'hardBreak') {
    out.break();
    return;
  }
  for (const child of childrenOf(node)) collectChildRuns(child, out);
}

/** Like collectRuns, with breaks around a child that is a block, so its words do not run into its neighbours'. */
function collectChildRuns(child: JSONContent, out: RunCollector): void {
  if (isInline(child)) {
    collectRuns(child, out);
    return;
  }
  out.break();
  collectRuns(child, out);
  out.break();
}

function runsOf(node: JSONContent): TextRun[] {
  const out = new RunCollector();
  collectRuns(node, out);
  return out.runs;
}

/**
 * The items of a list, one per list item; a nested list's items follow their parent's
 * (a letter has no nesting), and the blocks inside one item are joined by spaces.
 */
function listItems(list: JSONContent): TextRun[][] {
  const items: TextRun[][] = [];
  for (const item of childrenOf(list)) {
    if (isInline(item)) {
      // Malformed (text straight inside a list): it is an item of its own.
      items.push(runsOf({ content: [item] }));
      continue;
    }
    let current = new RunCollector();
    for (const child of childrenOf(item)) {
      if (child.type && LIST_TYPES.has(child.type)) {
        items.push(current.runs);
        current = new RunCollector();
        items.push(...listItems(child));
      } else {
        collectChildRuns(child, current);
      }
    }
    items.push(current.runs);
  }
  // Empty items (from the splits above, or empty list items) are dropped by normalizeContent.
  return items;
}

/**
 * Blocks from a run of sibling nodes. Headings, paragraphs and lists map directly; any
 * other node with content (blockquote, code block, a table cell…) contributes its own
 * blocks, and loose inline nodes between blocks are gathered into a paragraph.
 */
function collectBlocks(nodes: readonly JSONContent[], blocks: LetterBlock[]): void {
  let loose = new RunCollector();
  const flush = () => {
    if (loose.runs.length > 0) blocks.push({ type: 'paragraph', runs: loose.runs });
    loose = new RunCollector();
  };
  for (const node of nodes) {
    if (isInline(node)) {
      collectRuns(node, loose);
      continue;
    }
    flush();
    if (node.type === 'heading') blocks.push({ type: 'heading', runs: runsOf(node) });
    else if (node.type === 'paragraph') blocks.push({ type: 'paragraph', runs: runsOf(node) });
    else if (node.type && LIST_TYPES.has(node.type)) blocks.push({ type: 'list', ordered: node.type === 'orderedList', items: listItems(node) });
    else collectBlocks(childrenOf(node), blocks);
  }
  flush();
}

/**
 * The letter body for an editor document. Never throws: what LetterContent cannot hold
 * is kept as text (see collectBlocks). The result is normalised (empty blocks dropped,
 * runs merged) but not validated; an empty document gives `{ blocks: [] }`.
 */
export function docToContent(doc: JSONContent): LetterContent {
  const blocks: LetterBlock[] = [];
  if (isRecord(doc)) collectBlocks(doc.type === 'doc' ? childrenOf(doc) : [doc], blocks);
  return normalizeContent({ blocks });
}

/**
 * Why this body cannot be saved, in words for the person editing it, or null when it
 * can. letterContentSchema's own messages cover the letter as a whole; the limits on
 * single runs, blocks and lists get messages that say what to change.
 */
export function letterValidationMessage(content: LetterContent): string | null {
  const parsed = letterContentSchema.safeParse(content);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  if (!issue) return 'The letter cannot be saved as it is.';
  const path = issue.path;
  if (issue.code === 'too_big') {
    if (path.at(-1) === 'text') return `A paragraph can be at most ${MAX_RUN_LENGTH.toLocaleString('en-US')} characters. Split long paragraphs into shorter ones.`;
    if (path.at(-1) === 'items') return 'A list can have at most 100 items. Split it into shorter lists.';
    if (path.includes('runs') || path.includes('items')) return 'A paragraph has too many changes of bold or italic. Split it or simplify its formatting.';
    if (path.length === 1 && path[0] === 'blocks') return `A letter can have at most ${MAX_BLOCKS} headings, paragraphs and lists.`;
  }
  return issue.message;
}
