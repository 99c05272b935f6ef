'use client';

import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/web/action';

export type FieldErrors = Record<string, string[] | undefined>;

/**
 * The state every form that calls a server action keeps: pending, the errors of
 * each field, and a form-level error for anything not tied to a field. `submit`
 * runs the action in a transition and calls `onSuccess` only when it succeeded.
 */
export function useActionForm() {
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  function submit<T>(action: () => Promise<ActionResult<T>>, onSuccess: (data: T) => void | Promise<void>) {
    startTransition(async () => {
      const result = await action();
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(result.fieldErrors ? null : result.error);
        return;
      }
      setErrors({});
      setFormError(null);
      await onSuccess(result.data);
    });
  }

  function reset() {
    setErrors({});
    setFormError(null);
  }

  return { pending, errors, formError, setErrors, submit, reset };
}
