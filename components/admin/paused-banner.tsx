import { CirclePause } from 'lucide-react';

/** Shown on every page of the app to every member while a platform operator has paused the clinic. */
export function PausedBanner({ reason }: { reason: string | null }) {
  return (
    <div role="region" aria-label="Clinic paused" className="mb-6 rounded-lg border border-warning-200 bg-warning-50 p-4 text-sm text-warning-700">
      <p className="flex gap-2">
        <CirclePause className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <span>
          <strong className="font-semibold">Maneiro support has paused this clinic.</strong> New jobs and API requests are refused until it is
          resumed; existing results stay available.{reason ? <> Reason: {reason}</> : null} Contact support to have it resumed.
        </span>
      </p>
    </div>
  );
}
