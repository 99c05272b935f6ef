import { Badge } from '@/components/ui/badge';
import { URGENCY_LABELS, type TriageUrgency } from '@/lib/triage/schema';
import { URGENCY_BADGES } from './format';

/** The urgency as a coloured badge whose text names it (colour is never the only signal). */
export function UrgencyBadge({ urgency, className }: { urgency: TriageUrgency; className?: string }) {
  return (
    <Badge variant={URGENCY_BADGES[urgency]} className={className}>
      {URGENCY_LABELS[urgency]}
    </Badge>
  );
}
