// The letter editor's schema: only what LetterContent stores (lib/letters/content.ts).
// Kept apart from the component so unit tests can build the same schema in node.
import { Extension } from '@tiptap/react';
import { StarterKit } from '@tiptap/starter-kit';
import { LETTER_HEADING_LEVEL } from '@/lib/letters/editor-doc';

/**
 * Shift+Enter and Mod+Enter would insert a line break, which a letter stores as a
 * space; they start a new paragraph or list item instead, so what is typed is what
 * is saved. Runs before HardBreak's own shortcuts (higher priority). Pasted <br>
 * still parses as a hard break, which is saved as a space.
 */
const EnterStartsBlock = Extension.create({
  name: 'letterEnterStartsBlock',
  priority: 1000,
  addKeyboardShortcuts() {
    return {
      'Shift-Enter': () => this.editor.commands.enter(),
      'Mod-Enter': () => this.editor.commands.enter(),
    };
  },
});

export const letterExtensions = [
  StarterKit.configure({
    // Nodes and marks a letter cannot store are not registered, so neither typing,
    // shortcuts, input rules nor paste can produce them.
    blockquote: false,
    code: false,
    codeBlock: false,
    horizontalRule: false,
    link: false,
    strike: false,
    underline: false,
    heading: { levels: [LETTER_HEADING_LEVEL] },
  }),
  EnterStartsBlock,
];

/**
 * Pasted h1–h6 become the letter's one heading level; without this, headings of other
 * levels would match no parse rule and arrive as plain paragraphs.
 */
export function pastedHeadingsToLetterLevel(html: string): string {
  return html.replace(/<(\/?)h[1-6](?=[\s/>])/gi, `<$1h${LETTER_HEADING_LEVEL}`);
}
