import { Badge } from '@/components/ui/badge';
import type { JobStatus } from '@/lib/jobs/types';
import { STATUS_BADGES } from './stages';

export function JobStatusBadge({ status, className }: { status: JobStatus; className?: string }) {
  const { label, variant } = STATUS_BADGES[status];
  return (
    <Badge variant={variant} className={className}>
      {label}
    </Badge>
  );
}
