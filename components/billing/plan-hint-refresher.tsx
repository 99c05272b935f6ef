'use client';

import { useEffect } from 'react';

/**
 * Asks GET /api/billing/plan once per plan shown, which refreshes the signed plan
 * hint cookie proxy.ts reads, so a clinic that just changed plans is not sent to
 * /pricing by a hint from before the change. Renders nothing.
 */
export function PlanHintRefresher({ plan }: { plan: string }) {
  useEffect(() => {
    void fetch('/api/billing/plan', { cache: 'no-store' }).catch(() => undefined);
  }, [plan]);
  return null;
}
