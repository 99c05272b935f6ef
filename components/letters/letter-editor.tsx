'use client';

import { useEffect, useRef, useState, useTransition } from 'react';
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import { ClipboardType, Copy, Save } from 'lucide-react';
import { FormError } from '@/components/form-error';
import { formatJobTime } from '@/components/jobs/format';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { plainText, toHtml, type LetterContent } from '@/lib/letters/content';
import { contentToDoc, docToContent, letterValidationMessage } from '@/lib/letters/editor-doc';
import { cn } from '@/lib/utils';
import type { ActionResult } from '@/lib/web/action';
import { LetterBody, letterTypography } from './letter-body';
import { letterExtensions, pastedHeadingsToLetterLevel } from './letter-extensions';
import { LetterToolbar } from './letter-toolbar';

export interface LetterEditorProps {
  letterId: string;
  /** The version the editor starts from (sent as baseVersion on the first save). */
  version: number;
  content: LetterContent;
  /** Render the content without toolbar or saving (staff viewing a referral, a deleted letter). */
  readOnly?: boolean;
  save: (input: { letterId: string; baseVersion: number; content: LetterContent }) => Promise<ActionResult<{ version: number; savedAt: string }>>;
  onSaved?: (version: number) => void;
}

type Announcement = { id: number; text: string };

const COPY_REFUSED = 'The browser did not allow copying. Select the text and copy it instead.';
const SAVE_FAILED = 'The letter could not be saved. Check your connection and try again; your text is still here.';

/** A comparable form of a body, to tell whether the editor differs from what was last saved. */
const contentKey = (content: LetterContent): string => JSON.stringify(content);
const editorContent = (editor: Editor): LetterContent => docToContent(editor.getJSON());

/** Messages for screen readers and sighted users alike; each new one replaces the node so a repeat ("Copied" twice) is announced again. */
function useAnnouncer() {
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const nextId = useRef(0);
  const announce = (text: string) => {
    nextId.current += 1;
    setAnnouncement({ id: nextId.current, text });
  };
  return { announcement, announce };
}

function useCopy(getContent: () => LetterContent | null, announce: (text: string) => void, setError: (message: string | null) => void) {
  return async function copy(kind: 'rich' | 'plain') {
    setError(null);
    const content = getContent();
    if (!content || content.blocks.length === 0) {
      setError('There is nothing to copy yet.');
      return;
    }
    const text = plainText(content);
    try {
      // ClipboardItem is missing in some browsers (older Firefox): plain text is still better than nothing.
      if (kind === 'rich' && typeof ClipboardItem !== 'undefined') {
        await navigator.clipboard.write([
          new ClipboardItem({
            'text/html': new Blob([toHtml(content)], { type: 'text/html' }),
            'text/plain': new Blob([text], { type: 'text/plain' }),
          }),
        ]);
        announce('Copied as rich text.');
      } else {
        await navigator.clipboard.writeText(text);
        announce(kind === 'rich' ? 'Copied as plain text: this browser cannot copy formatting.' : 'Copied as plain text.');
      }
    } catch {
      // Also reached where navigator.clipboard is absent (a page not served over HTTPS).
      setError(COPY_REFUSED);
    }
  };
}

function CopyButtons({ onCopy }: { onCopy: (kind: 'rich' | 'plain') => void }) {
  return (
    <>
      <Button variant="outline" size="sm" onClick={() => onCopy('rich')}>
        <Copy className="size-4" aria-hidden="true" />
        Copy as rich text
      </Button>
      <Button variant="outline" size="sm" onClick={() => onCopy('plain')}>
        <ClipboardType className="size-4" aria-hidden="true" />
        Copy as plain text
      </Button>
    </>
  );
}

function Messages({ announcement, error }: { announcement: Announcement | null; error: string | null }) {
  return (
    <>
      <div role="status" aria-live="polite">
        {announcement && (
          <p key={announcement.id} className="rounded-md border border-success-200 bg-success-50 px-3 py-2 text-sm font-medium text-success-700">
            {announcement.text}
          </p>
        )}
      </div>
      <FormError message={error} />
    </>
  );
}

function ReadOnlyLetter({ content }: { content: LetterContent }) {
  const [error, setError] = useState<string | null>(null);
  const { announcement, announce } = useAnnouncer();
  const copy = useCopy(() => content, announce, setError);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <CopyButtons onCopy={(kind) => void copy(kind)} />
      </div>
      <Messages announcement={announcement} error={error} />
      <LetterBody content={content} aria-label="Letter text" className="rounded-lg border border-slate-200 bg-white px-4 py-4 sm:px-6" />
    </div>
  );
}

function EditorSkeleton() {
  return (
    <div className="space-y-3 p-4 sm:p-6">
      <Skeleton className="h-5 w-2/5" />
      <Skeleton className="h-4 w-full" />
      <Skeleton className="h-4 w-11/12" />
      <Skeleton className="h-4 w-4/5" />
      <Skeleton className="h-4 w-full" />
      <Skeleton className="h-4 w-3/5" />
    </div>
  );
}

const editorClasses = cn(
  letterTypography,
  'min-h-72 px-4 py-4 sm:min-h-96 sm:px-6',
  // The editable area is a text field: the focus ring shows whenever it has focus, like the project's inputs.
  'rounded-b-lg outline-none focus-visible:outline-3 focus-visible:-outline-offset-3 focus-visible:outline-focus',
);

// Module-level so the editor's options stay referentially equal between renders (useEditor re-applies changed options).
const editorProps = {
  attributes: {
    'aria-label': 'Letter text',
    role: 'textbox',
    'aria-multiline': 'true',
    class: editorClasses,
  },
  transformPastedHTML: pastedHeadingsToLetterLevel,
};

function savedMessage(version: number, savedAt: string): string {
  return Number.isNaN(Date.parse(savedAt)) ? `Saved as version ${version}.` : `Saved as version ${version} at ${formatJobTime(savedAt)}.`;
}

function EditableLetter({ letterId, version, content, save, onSaved }: Omit<LetterEditorProps, 'readOnly'>) {
  const [initial] = useState(() => {
    const doc = contentToDoc(content);
    return { doc, key: contentKey(docToContent(doc)) };
  });
  const [baseVersion, setBaseVersion] = useState(version);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const { announcement, announce } = useAnnouncer();
  // What the last save (or the initial content) holds, as the editor would save it. Compared by
  // content rather than by "a transaction happened", so undoing back to it, or the empty
  // trailing paragraph TipTap adds, does not count as a change.
  const savedKey = useRef(initial.key);

  const editor = useEditor({
    // The App Router renders this on the server first; ProseMirror needs the DOM.
    immediatelyRender: false,
    extensions: letterExtensions,
    content: initial.doc,
    editorProps,
    onUpdate: ({ editor: updated }) => {
      setDirty(contentKey(editorContent(updated)) !== savedKey.current);
    },
  });

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const copy = useCopy(() => (editor ? editorContent(editor) : null), announce, setError);

  function saveVersion() {
    if (!editor) return;
    const next = editorContent(editor);
    const problem = letterValidationMessage(next);
    setError(problem);
    if (problem) return;
    startTransition(async () => {
      let result: Awaited<ReturnType<typeof save>>;
      try {
        result = await save({ letterId, baseVersion, content: next });
      } catch {
        // The action did not answer (offline, deploy in progress); nothing in the editor changes.
        setError(SAVE_FAILED);
        return;
      }
      if (!result.ok) {
        const field = result.fieldErrors && Object.values(result.fieldErrors).flat()[0];
        setError(field ?? result.error);
        return;
      }
      savedKey.current = contentKey(next);
      setBaseVersion(result.data.version);
      // The user may have kept typing while the save was in flight.
      setDirty(contentKey(editorContent(editor)) !== savedKey.current);
      announce(savedMessage(result.data.version, result.data.savedAt));
      onSaved?.(result.data.version);
    });
  }

  return (
    <div className="space-y-3">
      <div className="overflow-hidden rounded-lg border border-slate-300 bg-white shadow-xs" aria-busy={!editor || undefined}>
        {editor ? (
          <>
            <LetterToolbar editor={editor} />
            <EditorContent editor={editor} />
          </>
        ) : (
          <EditorSkeleton />
        )}
      </div>
      <Messages announcement={announcement} error={error} />
      <div className="flex flex-wrap items-center gap-2">
        <Button onClick={saveVersion} loading={pending} disabled={!editor || !dirty}>
          <Save className="size-4" aria-hidden="true" />
          {pending ? 'Saving…' : 'Save version'}
        </Button>
        <CopyButtons onCopy={(kind) => void copy(kind)} />
        <p className="text-sm text-slate-600 sm:ml-auto">{dirty ? 'Unsaved changes' : `Version ${baseVersion}`}</p>
      </div>
    </div>
  );
}

/**
 * Edits a letter's body and saves it as a new version. `version` and `content` are
 * read when the editor mounts; after a save the editor continues from the version it
 * saved. To show another version (a restore), remount it with a new `key`.
 */
export function LetterEditor({ readOnly = false, ...props }: LetterEditorProps): React.JSX.Element {
  if (readOnly) return <ReadOnlyLetter content={props.content} />;
  return <EditableLetter {...props} />;
}
