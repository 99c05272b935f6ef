// The Upstash REST bridge as a process, for the docker-compose stack: lets the app's
// Upstash rate limiter run against the stack's plain Redis (see
// scripts/upstash-bridge/bridge.ts for why a proxy that forwards scripts unchanged fails).
//   tsx scripts/upstash-bridge.ts --redis redis://redis:6379 --token <token> [--port 80] [--host 0.0.0.0]
// Not for production: point UPSTASH_REDIS_REST_URL at Upstash there.
import { parseArgs } from 'node:util';
import { startUpstashBridge } from './upstash-bridge/bridge';

const { values } = parseArgs({
  options: {
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    token: { type: 'string' },
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '0.0.0.0' },
  },
});
if (!values.token) {
  console.error('upstash-bridge: --token is required (the value of UPSTASH_REDIS_REST_TOKEN).');
  process.exit(2);
}
const redis = new URL(values.redis);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`upstash-bridge: --port must be a port number, not "${values.port}".`);
  process.exit(2);
}
const bridge = await startUpstashBridge({ redisHost: redis.hostname, redisPort: Number(redis.port || 6379), token: values.token, host: values.host, port });
console.log(`upstash-bridge: listening on ${values.host}:${port}, forwarding to ${redis.hostname}:${redis.port || 6379}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void bridge.stop().then(() => process.exit(0));
  });
}
