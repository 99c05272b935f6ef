// Which analysis provider serves: OpenAI when OPENAI_API_KEY is set, else the
// offline analyzer, so a fresh install analyzes notes with nothing configured.
import { getConfig } from '@/lib/config';
import { offlineProvider } from './offline';
import { createOpenAIProvider } from './openai';
import type { AnalysisProvider } from './provider';

let cached: { key: string; provider: AnalysisProvider } | null = null;

export function getAnalysisProvider(): AnalysisProvider {
  const { openai } = getConfig();
  if (!openai.apiKey) return offlineProvider;
  // One client per settings, so keep-alive connections are reused across jobs.
  const key = JSON.stringify([openai.apiKey, openai.baseUrl, openai.model, openai.timeoutMs, openai.maxRetries]);
  if (cached?.key !== key) cached = { key, provider: createOpenAIProvider(openai) };
  return cached.provider;
}

export { runAnalysis } from './run';
export { AnalysisFailure, isAnalysisFailure } from './errors';
