'use client';

import { Fragment, useRef, useState } from 'react';
import { useEditorState, type Editor } from '@tiptap/react';
import { Bold, Heading2, Italic, List, ListOrdered, Redo2, Undo2, type LucideIcon } from 'lucide-react';
import { LETTER_HEADING_LEVEL } from '@/lib/letters/editor-doc';

type ToolbarState = {
  bold: boolean;
  italic: boolean;
  heading: boolean;
  bulletList: boolean;
  orderedList: boolean;
  canUndo: boolean;
  canRedo: boolean;
};

interface ToolbarAction {
  id: string;
  label: string;
  icon: LucideIcon;
  /** For aria-keyshortcuts: the shortcuts StarterKit binds (Mod is Ctrl, or Cmd on a Mac). */
  keys: string;
  run: (editor: Editor) => void;
  /** Toggles report aria-pressed; undo and redo report whether they can run. */
  pressed?: (state: ToolbarState) => boolean;
  enabled?: (state: ToolbarState) => boolean;
}

const mod = (key: string) => `Control+${key} Meta+${key}`;

// Grouped: character formatting, block formatting, history (a separator between groups).
const GROUPS: ToolbarAction[][] = [
  [
    { id: 'bold', label: 'Bold', icon: Bold, keys: mod('B'), run: (e) => e.chain().focus().toggleBold().run(), pressed: (s) => s.bold },
    { id: 'italic', label: 'Italic', icon: Italic, keys: mod('I'), run: (e) => e.chain().focus().toggleItalic().run(), pressed: (s) => s.italic },
  ],
  [
    {
      id: 'heading',
      label: 'Heading',
      icon: Heading2,
      keys: mod(`Alt+${LETTER_HEADING_LEVEL}`),
      run: (e) => e.chain().focus().toggleHeading({ level: LETTER_HEADING_LEVEL }).run(),
      pressed: (s) => s.heading,
    },
    {
      id: 'bulletList',
      label: 'Bulleted list',
      icon: List,
      keys: mod('Shift+8'),
      run: (e) => e.chain().focus().toggleBulletList().run(),
      pressed: (s) => s.bulletList,
    },
    {
      id: 'orderedList',
      label: 'Numbered list',
      icon: ListOrdered,
      keys: mod('Shift+7'),
      run: (e) => e.chain().focus().toggleOrderedList().run(),
      pressed: (s) => s.orderedList,
    },
  ],
  [
    { id: 'undo', label: 'Undo', icon: Undo2, keys: mod('Z'), run: (e) => e.chain().focus().undo().run(), enabled: (s) => s.canUndo },
    { id: 'redo', label: 'Redo', icon: Redo2, keys: mod('Shift+Z'), run: (e) => e.chain().focus().redo().run(), enabled: (s) => s.canRedo },
  ],
];
const ACTIONS = GROUPS.flat();

/**
 * The formatting toolbar. One tab stop (WAI-ARIA toolbar pattern): Tab reaches the
 * last-used button, the arrow keys, Home and End move between buttons. Labels show
 * beside the icons except on phones, where the icons stand alone (the aria-label stays).
 */
export function LetterToolbar({ editor }: { editor: Editor }) {
  const container = useRef<HTMLDivElement>(null);
  const [current, setCurrent] = useState(ACTIONS[0]?.id ?? '');
  // Re-rendered only when one of these values changes, not on every keystroke.
  const state = useEditorState({
    editor,
    selector: ({ editor: e }): ToolbarState => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      heading: e.isActive('heading'),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });

  const isEnabled = (action: ToolbarAction) => action.enabled?.(state) ?? true;
  // The tab stop moves to the first enabled button when the current one becomes disabled (Undo after undoing everything).
  const tabStop = ACTIONS.find((a) => a.id === current && isEnabled(a))?.id ?? ACTIONS.find(isEnabled)?.id;

  function onKeyDown(event: React.KeyboardEvent<HTMLDivElement>) {
    const buttons = Array.from(container.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? []);
    const index = buttons.findIndex((b) => b === document.activeElement);
    if (index < 0 || buttons.length === 0) return;
    let next: number;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = (index + 1) % buttons.length;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = (index - 1 + buttons.length) % buttons.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = buttons.length - 1;
    else return;
    event.preventDefault();
    buttons[next]?.focus();
  }

  return (
    <div
      ref={container}
      role="toolbar"
      aria-label="Formatting"
      aria-orientation="horizontal"
      onKeyDown={onKeyDown}
      className="flex flex-wrap items-center gap-1 border-b border-slate-200 bg-slate-50 p-1.5"
    >
      {GROUPS.map((group, g) => (
        <Fragment key={g}>
          {g > 0 && <div role="separator" aria-orientation="vertical" className="mx-1 h-6 w-px bg-slate-300" />}
          {group.map((action) => {
            const Icon = action.icon;
            const pressed = action.pressed?.(state);
            return (
              <button
                key={action.id}
                type="button"
                aria-label={action.label}
                aria-pressed={pressed}
                aria-keyshortcuts={action.keys}
                title={action.label}
                tabIndex={action.id === tabStop ? 0 : -1}
                disabled={!isEnabled(action)}
                onFocus={() => setCurrent(action.id)}
                onClick={() => action.run(editor)}
                className="inline-flex h-9 min-w-9 items-center justify-center gap-1.5 rounded-md px-2 text-sm font-medium text-slate-700 transition-colors hover:bg-slate-200 hover:text-slate-950 disabled:pointer-events-none disabled:opacity-50 aria-pressed:bg-brand-100 aria-pressed:text-brand-800 aria-pressed:ring-1 aria-pressed:ring-brand-300 aria-pressed:ring-inset"
              >
                <Icon className="size-4 shrink-0" aria-hidden="true" />
                <span className="max-sm:sr-only">{action.label}</span>
              </button>
            );
          })}
        </Fragment>
      ))}
    </div>
  );
}
