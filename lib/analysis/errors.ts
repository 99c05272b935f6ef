// The one error an analysis can end with. `code` is stable and stored on the job;
// `userMessage` is shown to the clinician and never contains PHI; `retryable`
// tells the job runner whether another attempt could succeed (a timeout or a
// rate limit) or would fail the same way (a bad key, unreadable output).

export class AnalysisFailure extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(`Analysis failed: ${code}`, options);
    this.name = 'AnalysisFailure';
  }
}

export function isAnalysisFailure(error: unknown): error is AnalysisFailure {
  return error instanceof AnalysisFailure;
}

export const ANALYSIS_INVALID_MESSAGE = 'The analysis came back in a form we could not read. Please try again.';
