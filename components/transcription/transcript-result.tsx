import { Skeleton } from '@/components/ui/skeleton';
import { db } from '@/lib/db/client';
import type { JobStatus } from '@/lib/db/generated/client';
import { getTranscript, TRANSCRIPTION_ROLES } from '@/lib/jobs/transcription';
import { requirePageActor } from '@/lib/web/session';
import { TranscriptView } from './transcript-view';

/** The result part of /jobs/[id] for a transcription: the transcript once it is complete. */
export async function TranscriptionJobResult({ jobId, status }: { jobId: string; status: JobStatus }) {
  if (status === 'queued' || status === 'running') {
    return (
      <section aria-labelledby="pending-transcript-heading" aria-busy="true">
        <h2 id="pending-transcript-heading" className="text-lg font-semibold text-slate-950">
          Transcript
        </h2>
        <p className="mt-1 text-sm text-slate-600">The transcript appears here, with timestamps and the recording, when the transcription is complete.</p>
        <div className="mt-4 space-y-3">
          <Skeleton className="h-6" />
          <Skeleton className="h-6" />
          <Skeleton className="h-6" />
        </div>
      </section>
    );
  }
  if (status !== 'succeeded') return null;
  const { actor } = await requirePageActor();
  const transcript = await getTranscript(db(), actor, jobId);
  return (
    <TranscriptView
      data={{
        jobId: transcript.jobId,
        durationMs: transcript.durationMs,
        speakers: transcript.speakers,
        versions: transcript.versions,
        current: transcript.current,
        analysisJobs: transcript.analysisJobs,
        upload: transcript.upload,
      }}
      mayEdit={TRANSCRIPTION_ROLES.includes(actor.role)}
    />
  );
}
