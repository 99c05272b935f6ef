/** A form-level error, announced to screen readers when it appears. */
export function FormError({ message }: { message: string | null | undefined }) {
  return (
    <div role="alert" aria-live="assertive">
      {message ? (
        <p className="rounded-md border border-danger-200 bg-danger-50 px-3 py-2 text-sm font-medium text-danger-700">{message}</p>
      ) : null}
    </div>
  );
}
