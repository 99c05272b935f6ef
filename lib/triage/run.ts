// The triage pipeline: whatever the provider, its raw output is validated
// against the one schema, repaired once if it fails (unknown enums to safe
// defaults, missing lists to empty ones), and stamped with meta.
import { AnalysisFailure } from '@/lib/analysis/errors';
import { inputChecksum } from '@/lib/analysis/run';
import { getConfig } from '@/lib/config';
import { OFFLINE_TRIAGE_MODEL, OFFLINE_TRIAGE_PROMPT_VERSION, triageOffline } from './offline';
import { TRIAGE_INVALID_MESSAGE, createOpenAITriageProvider } from './openai';
import type { TriageContext, TriageProvider } from './provider';
import {
  TRIAGE_DOCUMENT_TYPES,
  TRIAGE_SCHEMA_VERSION,
  TRIAGE_URGENCIES,
  triageOutputSchema,
  triageResultSchema,
  type TriageOutput,
  type TriageResult,
} from './schema';

export const offlineTriageProvider: TriageProvider = {
  name: 'offline',
  async triage(text, context) {
    context.signal.throwIfAborted();
    await context.onStage('triaging');
    return { output: triageOffline(text), model: OFFLINE_TRIAGE_MODEL, promptVersion: OFFLINE_TRIAGE_PROMPT_VERSION };
  },
};

let cached: { key: string; provider: TriageProvider } | null = null;

/** OpenAI when OPENAI_API_KEY is set (as for analyses), else the offline triage. */
export function getTriageProvider(): TriageProvider {
  const { openai } = getConfig();
  if (!openai.apiKey) return offlineTriageProvider;
  const key = JSON.stringify([openai.apiKey, openai.baseUrl, openai.model, openai.timeoutMs, openai.maxRetries]);
  if (cached?.key !== key) cached = { key, provider: createOpenAITriageProvider(openai) };
  return cached.provider;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const list = (v: unknown, max: number): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' ? [v] : [])
    .map((x) => (typeof x === 'string' ? x.trim() : typeof x === 'number' ? String(x) : ''))
    .filter((x) => x !== '')
    .slice(0, max);
const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  const s = typeof value === 'string' ? value.trim().toLowerCase().replace(/[\s-]+/g, '_') : '';
  return (allowed as readonly string[]).includes(s) ? (s as T) : fallback;
}

/** Best-effort repair of a provider's output that failed the schema. */
export function repairTriageOutput(raw: unknown): TriageOutput {
  const o = record(raw);
  const from = record(o.from);
  const regarding = record(o.regarding);
  return {
    documentType: pick(o.documentType, TRIAGE_DOCUMENT_TYPES, 'other'),
    // An unreadable urgency is shown as urgent: a person looks at it sooner, never later.
    urgency: pick(o.urgency, TRIAGE_URGENCIES, 'urgent'),
    from: { provider: str(from.provider), clinic: str(from.clinic), fax: str(from.fax), phone: str(from.phone) },
    regarding: { patientName: str(regarding.patientName), dateOfBirth: str(regarding.dateOfBirth) },
    keyClinicalInfo: list(o.keyClinicalInfo, 30),
    reasoning: str(o.reasoning) ?? 'The provider gave no reasoning.',
    frontDeskTasks: list(o.frontDeskTasks, 20),
    doctorTasks: list(o.doctorTasks, 20),
  };
}

export async function runTriage(input: { text: string; truncated: boolean }, context: TriageContext, provider?: TriageProvider): Promise<TriageResult> {
  const { signal } = context;
  signal.throwIfAborted();
  const chosen = provider ?? getTriageProvider();
  const result = await chosen.triage(input.text, context);
  signal.throwIfAborted();
  await context.onStage('validating');
  const first = triageOutputSchema.safeParse(result.output);
  const repaired = !first.success;
  const output = first.success ? first.data : repairTriageOutput(result.output);
  const final = triageResultSchema.safeParse({
    ...output,
    meta: {
      schemaVersion: TRIAGE_SCHEMA_VERSION,
      provider: chosen.name,
      model: result.model,
      promptVersion: result.promptVersion,
      inputChecksum: inputChecksum(input.text),
      repaired,
      truncated: input.truncated,
    },
  });
  if (!final.success) {
    throw new AnalysisFailure('triage_invalid', TRIAGE_INVALID_MESSAGE, false, { cause: new Error('triage output invalid after repair') });
  }
  return final.data;
}
