-- Cross-clinic reads by job state: the stuck-job sweeper (every minute), the operator
-- console's stuck and failing jobs, and the metrics scrape (live jobs and the last hour's).
-- Without these each of them scans the whole jobs table. On a large table, build them by hand
-- first with CREATE INDEX CONCURRENTLY under these names (docs/DEPLOYMENT.md); IF NOT EXISTS
-- then makes this migration a no-op.
CREATE INDEX IF NOT EXISTS "jobs_status_updated_at_idx" ON "jobs"("status", "updated_at");

CREATE INDEX IF NOT EXISTS "jobs_finished_at_idx" ON "jobs"("finished_at");
