// Shapes the triage pages receive from lib/jobs/triage (type-only imports keep this client-safe).
export type { TriageInbox, TriageInboxItem, TriageTaskView, TriageView } from '@/lib/jobs/triage';
