// One LISTEN connection per process and channel set, fanned out to any number
// of subscribers keyed by payload (a job id). Used by the live job stream (many
// browsers, one connection) and by workers (cancel requests). Reconnects with
// backoff; subscribers are told so they can re-read what they may have missed.
import pg from 'pg';
import { describeError } from '@/lib/errors';
import { logger } from '@/lib/logger';

export type NotificationHandler = (payload: string) => void;

interface Subscriber {
  onNotify: NotificationHandler;
  onReconnect?: () => void;
}

export class PgListener {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private retryDelay = 250;
  private readonly subscribers = new Map<string, Map<string, Set<Subscriber>>>();

  constructor(
    private readonly connectionString: string,
    private readonly channels: readonly string[],
  ) {}

  /** Subscribes to `channel` notifications whose payload is `key`. Resolves once listening. */
  async subscribe(channel: string, key: string, onNotify: NotificationHandler, onReconnect?: () => void): Promise<() => void> {
    if (!this.channels.includes(channel)) throw new Error(`not listening on ${channel}`);
    const byKey = this.subscribers.get(channel) ?? new Map<string, Set<Subscriber>>();
    this.subscribers.set(channel, byKey);
    const set = byKey.get(key) ?? new Set<Subscriber>();
    byKey.set(key, set);
    const subscriber: Subscriber = { onNotify, onReconnect };
    set.add(subscriber);
    await this.ensureConnected();
    return () => {
      set.delete(subscriber);
      if (set.size === 0) byKey.delete(key);
    };
  }

  get subscriberCount(): number {
    let n = 0;
    for (const byKey of this.subscribers.values()) for (const set of byKey.values()) n += set.size;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'maneiro-listener' });
    client.on('notification', (message) => {
      if (!message.payload) return;
      const set = this.subscribers.get(message.channel)?.get(message.payload);
      if (set) for (const s of [...set]) s.onNotify(message.payload);
    });
    client.on('error', (error) => {
      logger().warn({ err: describeError(error) }, 'job notification listener lost its connection');
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    await client.connect();
    for (const channel of this.channels) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryDelay = 250;
  }

  private reconnect(dead: pg.Client): void {
    if (this.client !== dead || this.closed) return;
    this.client = null;
    void dead.end().catch(() => undefined);
    if (this.subscriberCount > 0) this.reconnectLater();
  }

  private reconnectLater(): void {
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, 10_000);
    setTimeout(() => {
      if (this.closed || this.client) return;
      this.ensureConnected().then(
        // Anything sent while we were away was lost: every subscriber re-reads.
        () => {
          for (const byKey of this.subscribers.values()) for (const set of byKey.values()) for (const s of set) s.onReconnect?.();
        },
        () => this.reconnectLater(),
      );
    }, delay).unref();
  }
}

const KEY = Symbol.for('maneiro.pgListeners');
type Holder = typeof globalThis & { [KEY]?: Map<string, PgListener> };

/** The process's shared listener on `channels` of one database (kept across dev hot reloads). */
export function sharedListener(connectionString: string, channels: readonly string[]): PgListener {
  const g = globalThis as Holder;
  const listeners = (g[KEY] ??= new Map());
  const key = `${connectionString}|${channels.join(',')}`;
  let listener = listeners.get(key);
  if (!listener) {
    listener = new PgListener(connectionString, channels);
    listeners.set(key, listener);
  }
  return listener;
}

/** Closes every shared listener of the process (tests, shutdown). */
export async function closeSharedListeners(): Promise<void> {
  const g = globalThis as Holder;
  const listeners = [...(g[KEY]?.values() ?? [])];
  g[KEY]?.clear();
  await Promise.all(listeners.map((l) => l.close()));
}
