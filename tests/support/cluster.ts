// Maneiro scaled out on one machine, for the scale-out test and the capacity
// benchmark: N web instances (`next start` of the production build) and M
// background workers (`scripts/worker.ts`), all against one PostgreSQL database
// and one Redis (through the Upstash REST bridge), with a round-robin proxy in
// front. Nothing is shared between the processes except what production shares:
// the database, Redis, and the DATA_DIR disk that stands in for S3.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SETTING_NAMES } from '@/lib/config/schema';
import { startUpstashBridge, type UpstashBridge } from '../../scripts/upstash-bridge/bridge';
import { startFakeSmtp, type FakeSmtp } from './fake-smtp';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy';

export interface ClusterProcess {
  name: string;
  child: ChildProcess;
  /** Everything it printed (stdout and stderr), newest last; capped. */
  output: string[];
}

export interface WebInstance extends ClusterProcess {
  url: string;
}

export interface WorkerProcess extends ClusterProcess {
  /** Its Prometheus endpoint (WORKER_METRICS_PORT), read with `metricsToken`. */
  metricsUrl: string;
}

export interface Cluster {
  /** The proxy: what a browser would use. */
  url: string;
  web: WebInstance[];
  workers: WorkerProcess[];
  proxy: RoundRobinProxy;
  bridge: UpstashBridge;
  authSecret: string;
  metricsToken: string;
  /** Starts the workers (when the cluster was started without them) and waits until they poll. */
  startWorkers(): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  databaseUrl: string;
  webInstances?: number;
  workers?: number;
  /** Start the workers now (default) or later with `startWorkers()`. */
  startWorkers?: boolean;
  /** Extra settings for every process (e.g. WORKER_CONCURRENCY). */
  env?: Record<string, string>;
  /** Where uploads and PDFs go; a scratch folder removed on stop unless given. */
  dataDir?: string;
}

const OUTPUT_LINES = 2_000;

export function hasProductionBuild(dir = '.next'): boolean {
  return fs.existsSync(path.join(process.cwd(), dir, 'BUILD_ID'));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function capture(name: string, child: ChildProcess): ClusterProcess {
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      output.push(line);
      if (output.length > OUTPUT_LINES) output.shift();
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return { name, child, output };
}

async function waitFor(what: string, proc: ClusterProcess, probe: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited with code ${proc.child.exitCode} before ${what}:\n${proc.output.slice(-30).join('\n')}`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${proc.name}: ${what} took over ${timeoutMs} ms:\n${proc.output.slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopProcess(proc: ClusterProcess): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (!hasProductionBuild()) throw new Error('No production build (.next/BUILD_ID): run `npm run build` first.');
  const webCount = options.webInstances ?? 2;
  const workerCount = options.workers ?? 2;
  const scratch = options.dataDir ? undefined : fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'maneiro-cluster-'));
  const dataDir = options.dataDir ?? scratch!;
  // Counters of this cluster only, removed on stop: runs never see each other's counts.
  const rateLimitPrefix = `maneiro-cluster:${randomBytes(6).toString('hex')}`;

  const started: ClusterProcess[] = [];
  let smtp: FakeSmtp | undefined;
  let bridge: UpstashBridge | undefined;
  let proxy: RoundRobinProxy | undefined;
  const stop = async () => {
    await Promise.all(started.map(stopProcess));
    await proxy?.close();
    if (bridge) {
      await bridge.deleteKeys(rateLimitPrefix).catch(() => undefined);
      await bridge.stop();
    }
    await smtp?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  };

  try {
    smtp = await startFakeSmtp();
    bridge = await startUpstashBridge();
    const webPorts = await Promise.all(Array.from({ length: webCount }, freePort));
    const webUrls = webPorts.map((port) => `http://127.0.0.1:${port}`);
    proxy = await startRoundRobinProxy(webUrls);

    const authSecret = randomBytes(32).toString('hex');
    const metricsToken = randomBytes(24).toString('hex');
    // This process's app settings (a benchmark may have set some for itself) are not the
    // cluster's: only the machine's own variables pass through.
    const inherited: NodeJS.ProcessEnv = { ...process.env };
    for (const name of [...SETTING_NAMES, 'NEXTAUTH_URL', 'NEXTAUTH_SECRET', 'NEXT_DIST_DIR']) delete inherited[name];
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      NODE_ENV: 'production',
      DATABASE_URL: options.databaseUrl,
      AUTH_SECRET: authSecret,
      APP_URL: proxy.url,
      DATA_DIR: dataDir,
      SMTP_URL: smtp.url,
      UPSTASH_REDIS_REST_URL: bridge.url,
      UPSTASH_REDIS_REST_TOKEN: bridge.token,
      RATE_LIMIT_PREFIX: rateLimitPrefix,
      // One balancer in front: the client is the rightmost X-Forwarded-For entry.
      TRUSTED_PROXY_HOPS: '1',
      METRICS_TOKEN: metricsToken,
      LOG_LEVEL: 'info',
      ...options.env,
    };

    const nextBin = path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');
    const web: WebInstance[] = webPorts.map((port, i) => {
      const child = spawn(process.execPath, [nextBin, 'start', '--port', String(port), '--hostname', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'], env });
      const proc = { ...capture(`web-${i}`, child), url: webUrls[i]! };
      started.push(proc);
      return proc;
    });

    const tsxCli = path.join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const workerPorts = await Promise.all(Array.from({ length: workerCount }, freePort));
    const workers: WorkerProcess[] = [];
    const launchWorkers = async () => {
      if (workers.length > 0) return;
      for (const [i, port] of workerPorts.entries()) {
        const child = spawn(process.execPath, [tsxCli, 'scripts/worker.ts'], {
          stdio: ['ignore', 'pipe', 'pipe'],
          // At info the worker says when it polls (and nothing per job); the cluster waits for that line.
          env: { ...env, WORKER_METRICS_PORT: String(port), LOG_LEVEL: 'info' },
        });
        const proc = { ...capture(`worker-${i}`, child), metricsUrl: `http://127.0.0.1:${port}/metrics` };
        started.push(proc);
        workers.push(proc);
      }
      const auth = { authorization: `Bearer ${metricsToken}` };
      await Promise.all(
        workers.map((w) =>
          waitFor('its metrics endpoint answered', w, async () => (await fetch(w.metricsUrl, { headers: auth })).ok).then(() =>
            // The metrics server starts before the worker subscribes; its log says when it polls.
            waitFor('it started polling', w, () => Promise.resolve(w.output.some((line) => line.includes('worker started')))),
          ),
        ),
      );
    };

    await Promise.all(web.map((w) => waitFor('/api/ready answered 200', w, async () => (await fetch(`${w.url}/api/ready`)).status === 200)));
    if (options.startWorkers !== false) await launchWorkers();

    return {
      url: proxy.url,
      web,
      workers,
      proxy,
      bridge,
      authSecret,
      metricsToken,
      startWorkers: launchWorkers,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Reads one counter or histogram count from a Prometheus text page (the sum over the matching series). */
export function metricValue(page: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of page.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const matches = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (matches) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
