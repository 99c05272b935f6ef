import { describe, expect, it } from 'vitest';
import { getSchema, type JSONContent } from '@tiptap/react';
import { letterExtensions, pastedHeadingsToLetterLevel } from '@/components/letters/letter-extensions';
import { MAX_RUN_LENGTH, letterContentSchema, plainText, toHtml, type LetterContent } from '@/lib/letters/content';
import { contentToDoc, docToContent, letterValidationMessage } from '@/lib/letters/editor-doc';

const text = (value: string, ...marks: string[]): JSONContent =>
  marks.length > 0 ? { type: 'text', text: value, marks: marks.map((type) => ({ type })) } : { type: 'text', text: value };
const p = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const doc = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content });
const li = (...content: JSONContent[]): JSONContent => ({ type: 'listItem', content });

const letter: LetterContent = {
  blocks: [
    { type: 'heading', runs: [{ text: 'Reason for referral' }] },
    {
      type: 'paragraph',
      runs: [{ text: 'Dear Dr Lee, I am referring ' }, { text: 'Ms Example', bold: true }, { text: ' for ' }, { text: 'urgent', bold: true, italic: true }, { text: ' review.', italic: true }],
    },
    { type: 'list', ordered: false, items: [[{ text: 'Visual acuity ' }, { text: '6/12', bold: true }], [{ text: 'IOP 24 mmHg' }]] },
    { type: 'heading', runs: [{ text: 'Plan', italic: true }] },
    { type: 'list', ordered: true, items: [[{ text: 'OCT' }], [{ text: 'Visual fields', italic: true }]] },
    { type: 'paragraph', runs: [{ text: 'Kind regards' }] },
  ],
};

const schema = getSchema(letterExtensions);

describe('contentToDoc', () => {
  it('builds level-2 headings, paragraphs, lists of listItem > paragraph, and bold/italic marks', () => {
    const result = contentToDoc(letter);
    expect(result.type).toBe('doc');
    expect(result.content?.map((n) => n.type)).toEqual(['heading', 'paragraph', 'bulletList', 'heading', 'orderedList', 'paragraph']);
    expect(result.content?.[0]).toEqual({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Reason for referral' }] });
    expect(result.content?.[1]?.content?.[3]).toEqual({ type: 'text', text: 'urgent', marks: [{ type: 'bold' }, { type: 'italic' }] });
    expect(result.content?.[2]?.content?.[0]).toEqual({
      type: 'listItem',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Visual acuity ' }, { type: 'text', text: '6/12', marks: [{ type: 'bold' }] }] }],
    });
  });

  it('produces a document the editor schema accepts', () => {
    expect(() => schema.nodeFromJSON(contentToDoc(letter)).check()).not.toThrow();
    // An empty letter still needs one block to be a valid ProseMirror document.
    const empty = contentToDoc({ blocks: [] });
    expect(empty).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
    expect(() => schema.nodeFromJSON(empty).check()).not.toThrow();
  });
});

describe('docToContent', () => {
  it('round-trips a letter through the editor document unchanged', () => {
    expect(docToContent(contentToDoc(letter))).toEqual(letter);
  });

  it('round-trips through a ProseMirror node of the editor schema (what the editor returns from getJSON)', () => {
    const node = schema.nodeFromJSON(contentToDoc(letter));
    expect(docToContent(node.toJSON() as JSONContent)).toEqual(letter);
  });

  it('merges adjacent text nodes of the same style and keeps different styles apart', () => {
    const result = docToContent(doc(p(text('Hello '), text('wor'), text('ld', 'bold'), text('!', 'bold'), text(' end'))));
    expect(result).toEqual({ blocks: [{ type: 'paragraph', runs: [{ text: 'Hello wor' }, { text: 'ld!', bold: true }, { text: ' end' }] }] });
  });

  it('drops empty paragraphs, whitespace-only paragraphs and empty list items', () => {
    const result = docToContent(
      doc(p(), p(text('   ')), p(text('Kept')), { type: 'paragraph' }, { type: 'bulletList', content: [li(p()), li(p(text('Item')))] }, { type: 'orderedList', content: [li(p())] }),
    );
    expect(result).toEqual({
      blocks: [
        { type: 'paragraph', runs: [{ text: 'Kept' }] },
        { type: 'list', ordered: false, items: [[{ text: 'Item' }]] },
      ],
    });
  });

  it('turns hard breaks into a single space that keeps the surrounding style', () => {
    const result = docToContent(doc(p(text('Line one', 'bold'), { type: 'hardBreak' }, text('line two', 'bold'), { type: 'hardBreak' }, text(' three'))));
    expect(result).toEqual({ blocks: [{ type: 'paragraph', runs: [{ text: 'Line one line two', bold: true }, { text: ' three' }] }] });
    // No doubled space next to existing whitespace, none at the start or end of a block.
    expect(plainText(result)).toBe('Line one line two three');
    expect(plainText(docToContent(doc(p({ type: 'hardBreak' }, text('a '), { type: 'hardBreak' }, text('b'), { type: 'hardBreak' }))))).toBe('a b');
  });

  it('maps headings of any level to the one heading type', () => {
    const result = docToContent(doc({ type: 'heading', attrs: { level: 1 }, content: [text('Title')] }, { type: 'heading', attrs: { level: 4 }, content: [text('Sub')] }));
    expect(result.blocks).toEqual([
      { type: 'heading', runs: [{ text: 'Title' }] },
      { type: 'heading', runs: [{ text: 'Sub' }] },
    ]);
  });

  it('flattens nested lists into items of the outer list, in reading order', () => {
    const nested = doc({
      type: 'bulletList',
      content: [
        li(p(text('Parent')), { type: 'orderedList', content: [li(p(text('Child one'))), li(p(text('Child two')), { type: 'bulletList', content: [li(p(text('Grandchild')))] })] }),
        li(p(text('Second')), p(text('paragraph', 'italic'))),
      ],
    });
    expect(docToContent(nested).blocks).toEqual([
      {
        type: 'list',
        ordered: false,
        items: [[{ text: 'Parent' }], [{ text: 'Child one' }], [{ text: 'Child two' }], [{ text: 'Grandchild' }], [{ text: 'Second ' }, { text: 'paragraph', italic: true }]],
      },
    ]);
  });

  it('keeps the text of unsupported nodes and drops unsupported marks', () => {
    const input = doc(
      { type: 'blockquote', content: [p(text('Quoted one')), p(text('Quoted two', 'italic'))] },
      { type: 'codeBlock', attrs: { language: 'js' }, content: [text('const x = 1;')] },
      { type: 'horizontalRule' },
      p(text('struck', 'strike'), text(' code', 'code'), text(' link', 'link', 'bold'), text(' under', 'underline')),
      { type: 'image', attrs: { src: 'https://example.com/x.png' } },
      { type: 'taskList', content: [{ type: 'taskItem', attrs: { checked: true }, content: [p(text('Task'))] }] },
      { type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [p(text('Cell A'))] }, { type: 'tableCell', content: [p(text('Cell B'))] }] }] },
    );
    expect(docToContent(input).blocks).toEqual([
      { type: 'paragraph', runs: [{ text: 'Quoted one' }] },
      { type: 'paragraph', runs: [{ text: 'Quoted two', italic: true }] },
      { type: 'paragraph', runs: [{ text: 'const x = 1;' }] },
      { type: 'paragraph', runs: [{ text: 'struck code' }, { text: ' link', bold: true }, { text: ' under' }] },
      { type: 'paragraph', runs: [{ text: 'Task' }] },
      { type: 'paragraph', runs: [{ text: 'Cell A' }] },
      { type: 'paragraph', runs: [{ text: 'Cell B' }] },
    ]);
  });

  it('keeps markup-looking text as text, so the renderers escape it', () => {
    const result = docToContent(doc(p(text('<script>alert(1)</script> & <b>x</b>'))));
    expect(result.blocks).toEqual([{ type: 'paragraph', runs: [{ text: '<script>alert(1)</script> & <b>x</b>' }] }]);
    expect(toHtml(result)).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;</p>');
  });

  it('gathers loose inline nodes at the top level into a paragraph and removes control characters', () => {
    const result = docToContent(doc(text('Loose '), text('bold', 'bold'), p(text('Then a\u0007 paragraph')), text('tail')));
    expect(result.blocks).toEqual([
      { type: 'paragraph', runs: [{ text: 'Loose ' }, { text: 'bold', bold: true }] },
      { type: 'paragraph', runs: [{ text: 'Then a paragraph' }] },
      { type: 'paragraph', runs: [{ text: 'tail' }] },
    ]);
  });

  it('never throws on malformed input and gives an empty body for an empty document', () => {
    expect(docToContent(doc())).toEqual({ blocks: [] });
    expect(docToContent({ type: 'doc' })).toEqual({ blocks: [] });
    expect(docToContent(contentToDoc({ blocks: [] }))).toEqual({ blocks: [] });
    const malformed = [null, 42, 'text', [], { content: 'nope' }, { type: 'doc', content: [null, 7, { type: 'text', text: 5 }, { type: 'paragraph', content: [{ type: 'text' }], marks: 'bold' }] }];
    for (const value of malformed) expect(docToContent(value as unknown as JSONContent)).toEqual({ blocks: [] });
    expect(docToContent({ type: 'doc', content: [p({ type: 'text', text: 'ok', marks: [null, { type: 7 }, { type: 'bold' }] } as unknown as JSONContent)] })).toEqual({
      blocks: [{ type: 'paragraph', runs: [{ text: 'ok', bold: true }] }],
    });
  });

  it('gives content the shared schema validates', () => {
    expect(letterContentSchema.safeParse(docToContent(contentToDoc(letter))).success).toBe(true);
    expect(letterContentSchema.safeParse(docToContent(doc(p()))).success).toBe(false);
  });
});

describe('the editor schema', () => {
  it('has only the nodes and marks a letter can store (plus hard breaks, saved as spaces)', () => {
    expect(Object.keys(schema.nodes).sort()).toEqual(['bulletList', 'doc', 'hardBreak', 'heading', 'listItem', 'orderedList', 'paragraph', 'text']);
    expect(Object.keys(schema.marks).sort()).toEqual(['bold', 'italic']);
  });

  it('rejects documents with nodes or marks outside the letter model', () => {
    expect(() => schema.nodeFromJSON(doc({ type: 'blockquote', content: [p(text('x'))] }))).toThrow();
    expect(() => schema.nodeFromJSON(doc(p(text('x', 'strike'))))).toThrow();
  });

  it('pastes headings of every level as the letter heading', () => {
    expect(pastedHeadingsToLetterLevel('<h1 class="x">A</h1><H3>B</H3><h6>C</h6><hr><header>keep</header>')).toBe(
      '<h2 class="x">A</h2><h2>B</h2><h2>C</h2><hr><header>keep</header>',
    );
  });
});

describe('letterValidationMessage', () => {
  it('accepts a valid letter', () => {
    expect(letterValidationMessage(letter)).toBeNull();
  });

  it('explains an empty letter', () => {
    expect(letterValidationMessage({ blocks: [] })).toBe('The letter is empty.');
  });

  it('explains a paragraph that is too long instead of showing the schema path', () => {
    const long: LetterContent = { blocks: [{ type: 'paragraph', runs: [{ text: 'a'.repeat(MAX_RUN_LENGTH + 1) }] }] };
    expect(letterValidationMessage(long)).toMatch(new RegExp(`^A paragraph can be at most ${MAX_RUN_LENGTH.toLocaleString('en-US')} characters`));
  });

  it('explains a list with too many items', () => {
    const items = Array.from({ length: 101 }, (_, i) => [{ text: `Item ${i}` }]);
    expect(letterValidationMessage({ blocks: [{ type: 'list', ordered: false, items }] })).toMatch(/at most 100 items/);
  });
});
