// The worker's own metrics: it serves no HTTP otherwise, so with WORKER_METRICS_PORT
// set it listens for Prometheus at /metrics (same bearer token as the web server).
// Only this process's counters are here (provider errors, webhook attempts, job run
// times); job and queue gauges come from the web server, which reads the database.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsAccess } from './metrics-auth';
import { processMetrics } from './metrics';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(options: { port: number; token: string | undefined; host?: string }): Promise<MetricsServer> {
  const { registry } = processMetrics();
  const server = http.createServer((request, response) => {
    const access = request.method === 'GET' && request.url?.split('?')[0] === '/metrics' ? metricsAccess(request.headers.authorization, options.token) : 'not_found';
    if (access !== 'allowed') {
      response.writeHead(access === 'unauthorized' ? 401 : 404, { 'content-type': 'text/plain', ...(access === 'unauthorized' ? { 'www-authenticate': 'Bearer realm="metrics"' } : {}) });
      response.end(access === 'unauthorized' ? 'unauthorized\n' : 'not found\n');
      return;
    }
    registry.metrics().then(
      (body) => {
        response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        response.end(body);
      },
      () => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
