// The editor's server render (App Router renders client components on the server
// first): the editable view shows a skeleton and a disabled save button, the
// read-only view prints the letter as escaped text with no toolbar.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { LetterEditor, type LetterEditorProps } from '@/components/letters/letter-editor';
import type { LetterContent } from '@/lib/letters/content';

const content: LetterContent = {
  blocks: [
    { type: 'heading', runs: [{ text: 'Findings' }] },
    { type: 'paragraph', runs: [{ text: 'Pressure ' }, { text: '<b>high</b>', bold: true }, { text: ' & rising', italic: true }] },
    { type: 'list', ordered: true, items: [[{ text: 'OCT' }], [{ text: 'Fields' }]] },
  ],
};

function render(props: Partial<LetterEditorProps>): string {
  const save = vi.fn<LetterEditorProps['save']>();
  const html = renderToString(createElement(LetterEditor, { letterId: 'l1', version: 3, content, save, ...props }));
  expect(save).not.toHaveBeenCalled();
  return html;
}

describe('LetterEditor server render', () => {
  it('shows a busy skeleton and a disabled "Save version" until the editor exists in the browser', () => {
    const html = render({});
    expect(html).toContain('aria-busy="true"');
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>(?:(?!<\/button>).)*Save version/);
    expect(html).toContain('Copy as rich text');
    expect(html).toContain('Copy as plain text');
    expect(html).toContain('Version 3');
    expect(html).not.toContain('role="toolbar"');
  });

  it('renders a read-only letter as escaped text, without toolbar or save', () => {
    const html = render({ readOnly: true });
    expect(html).toContain('<h2>Findings</h2>');
    expect(html).toContain('<strong>&lt;b&gt;high&lt;/b&gt;</strong><em> &amp; rising</em>');
    expect(html).toContain('<ol><li>OCT</li><li>Fields</li></ol>');
    expect(html).toContain('aria-label="Letter text"');
    expect(html).not.toContain('Save version');
    expect(html).not.toContain('role="toolbar"');
    expect(html).not.toContain('<b>');
  });
});
