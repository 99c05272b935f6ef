import { Fragment } from 'react';
import type { LetterContent, TextRun } from '@/lib/letters/content';
import { cn } from '@/lib/utils';

/**
 * Reading typography for a letter body, shared by the editor's editable area and the
 * read-only view so a letter looks the same in both. Applied to the container; the
 * blocks inside are plain h2 / p / ul / ol elements.
 */
export const letterTypography = cn(
  'text-base leading-relaxed text-slate-900 wrap-break-word',
  '[&_h2]:mt-6 [&_h2]:mb-2 [&_h2]:text-lg [&_h2]:leading-snug [&_h2]:font-bold [&_h2]:text-slate-950',
  '[&_p]:my-3 [&_ul]:my-3 [&_ol]:my-3 [&_ul]:list-disc [&_ol]:list-decimal [&_ul]:pl-6 [&_ol]:pl-6',
  '[&_li]:my-1 [&_li]:pl-1 [&_li>p]:my-0 [&_strong]:font-bold [&_em]:italic',
  '*:first:mt-0 *:last:mb-0',
);

function Runs({ runs }: { runs: readonly TextRun[] }) {
  return runs.map((run, i) => {
    // React escapes the text; a letter is never rendered from HTML.
    let node: React.ReactNode = run.text;
    if (run.italic) node = <em>{node}</em>;
    if (run.bold) node = <strong>{node}</strong>;
    return <Fragment key={i}>{node}</Fragment>;
  });
}

/** A letter body as elements (no editor): for read-only views, server or client. */
export function LetterBody({ content, className, ...props }: { content: LetterContent } & Omit<React.ComponentProps<'div'>, 'children' | 'content'>) {
  return (
    <div className={cn(letterTypography, className)} {...props}>
      {content.blocks.map((block, i) => {
        if (block.type === 'heading')
          return (
            <h2 key={i}>
              <Runs runs={block.runs} />
            </h2>
          );
        if (block.type === 'paragraph')
          return (
            <p key={i}>
              <Runs runs={block.runs} />
            </p>
          );
        const List = block.ordered ? 'ol' : 'ul';
        return (
          <List key={i}>
            {block.items.map((item, j) => (
              <li key={j}>
                <Runs runs={item} />
              </li>
            ))}
          </List>
        );
      })}
    </div>
  );
}
