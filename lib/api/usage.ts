// GET /api/v1/usage: the clinic's usage this period, from the same ledger the
// quota enforces (lib/usage/stats.ts). Per-member figures stay in the web app.
import type { Actor } from '@/lib/auth/authorize';
import type { Db } from '@/lib/db/client';
import { getUsageStats } from '@/lib/usage/stats';
import type { ApiUsage } from './schemas';

export async function getApiUsage(db: Db, actor: Actor, now = new Date()): Promise<ApiUsage> {
  const stats = await getUsageStats(db, actor, now);
  return {
    plan: { id: stats.plan.id, name: stats.plan.name, monthlyJobQuota: stats.plan.monthlyJobQuota },
    period: { start: stats.period.start.toISOString(), end: stats.period.end.toISOString() },
    used: stats.used,
    limit: stats.limit,
    remaining: stats.remaining,
    inProgress: stats.inProgress,
    completed: stats.completed,
    released: stats.released,
    byType: stats.byType.map((t) => ({ jobType: t.jobType, inProgress: t.inProgress, completed: t.completed, total: t.total })),
    daily: stats.daily.map((d) => ({ date: d.date, total: d.total, analysis: d.analysis, transcription: d.transcription, letter: d.letter, triage: d.triage })),
  };
}
