// A minimal Redis client over one TCP connection (RESP2): commands go out as arrays
// of bulk strings, replies come back in order. Enough for the Upstash REST bridge;
// no Redis client package is installed.
import net from 'node:net';

/** A Redis error reply ("-ERR …"), returned as a value so pipelines keep per-command errors. */
export class RespError {
  constructor(readonly message: string) {}
}

export type RespValue = string | Buffer | number | null | RespError | RespValue[];

class Incomplete extends Error {}

/** Parses one reply at `offset`; throws Incomplete when the buffer ends first. */
function parse(buffer: Buffer, offset: number): { value: RespValue; next: number } {
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd === -1) throw new Incomplete();
  const type = String.fromCharCode(buffer[offset] ?? 0);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const after = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, next: after };
    case '-':
      return { value: new RespError(line), next: after };
    case ':':
      return { value: Number(line), next: after };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, next: after };
      if (buffer.length < after + length + 2) throw new Incomplete();
      return { value: buffer.subarray(after, after + length), next: after + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next: after };
      const items: RespValue[] = [];
      let next = after;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, next);
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

function encode(command: readonly (string | number | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${command.length}\r\n`)];
  for (const arg of command) {
    const bytes = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg));
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RespClient {
  private pending: { resolve: (value: RespValue) => void; reject: (error: Error) => void }[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private closedError: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (error: Error) => {
      this.closedError ??= error;
      for (const waiter of this.pending.splice(0)) waiter.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('redis connection closed')));
  }

  static connect(port = 6379, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ port, host });
      socket.setNoDelay(true);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RespClient(socket));
      });
      socket.once('error', reject);
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    while (offset < this.buffer.length && this.pending.length > 0) {
      let parsed: { value: RespValue; next: number };
      try {
        parsed = parse(this.buffer, offset);
      } catch (error) {
        if (error instanceof Incomplete) break;
        // A protocol error leaves the stream unusable: fail every waiter through 'error'.
        this.socket.destroy(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      offset = parsed.next;
      this.pending.shift()?.resolve(parsed.value);
    }
    this.buffer = this.buffer.subarray(offset);
  }

  /** Sends the commands in one write, so no other caller's commands land between them (MULTI … EXEC). */
  send(commands: readonly (readonly (string | number | Buffer)[])[]): Promise<RespValue[]> {
    if (this.closedError) return Promise.reject(this.closedError);
    const replies = commands.map(
      () => new Promise<RespValue>((resolve, reject) => this.pending.push({ resolve, reject })),
    );
    this.socket.write(Buffer.concat(commands.map(encode)));
    return Promise.all(replies);
  }

  async command(...args: (string | number | Buffer)[]): Promise<RespValue> {
    const [reply] = await this.send([args]);
    return reply ?? null;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }
}
