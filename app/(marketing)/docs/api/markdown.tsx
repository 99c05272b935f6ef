// The little Markdown the API document's descriptions use: paragraphs, "## "
// headings, "- " lists, `code` and **bold**. Rendered as React elements (so
// every string is escaped); nothing is parsed as HTML.
import { Fragment } from 'react';

function Inline({ text }: { text: string }) {
  // Alternating plain and `code` segments; **bold** inside the plain ones.
  return (
    <>
      {text.split('`').map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em] text-slate-900">
            {part}
          </code>
        ) : (
          <Fragment key={i}>
            {part.split('**').map((piece, j) => (j % 2 === 1 ? <strong key={j}>{piece}</strong> : <Fragment key={j}>{piece}</Fragment>))}
          </Fragment>
        ),
      )}
    </>
  );
}

export function Markdown({ text, headingLevel = 3 }: { text: string; headingLevel?: 3 | 4 }) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <div className="space-y-3 text-sm leading-6 text-slate-700">
      {text.split(/\n{2,}/).map((block, i) => {
        if (block.startsWith('## ')) {
          return (
            <Heading key={i} className="pt-2 text-base font-semibold text-slate-950">
              {block.slice(3)}
            </Heading>
          );
        }
        const lines = block.split('\n');
        if (lines.every((line) => line.startsWith('- '))) {
          return (
            <ul key={i} className="list-disc space-y-1 pl-5">
              {lines.map((line, j) => (
                <li key={j}>
                  <Inline text={line.slice(2)} />
                </li>
              ))}
            </ul>
          );
        }
        return (
          <p key={i}>
            <Inline text={block} />
          </p>
        );
      })}
    </div>
  );
}

export { Inline };
