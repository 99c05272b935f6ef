'use client';

import { useRouter } from 'next/navigation';
import { LetterEditor, type LetterEditorProps } from './letter-editor';

/** The editor on the letter page: a saved version refreshes the page's versions and export state. */
export function LetterEditorPanel(props: Omit<LetterEditorProps, 'onSaved'>) {
  const router = useRouter();
  return <LetterEditor {...props} onSaved={() => router.refresh()} />;
}
