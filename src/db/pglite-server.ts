import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Serves one PGlite instance to ordinary PostgreSQL clients (node-postgres pools of the app and of
 * BullMQ) on loopback.
 *
 * Why not `@electric-sql/pglite-socket`'s multiplexer: it interleaves single protocol messages of
 * different connections, so two concurrent extended-protocol queries (Parse/Bind/Execute/Sync)
 * clobber each other's unnamed statement and portal. Here a connection's messages run as whole
 * groups up to `Sync` or a simple `Query`, and while PGlite is inside a transaction only the
 * connection that opened it is served.
 */

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

interface Connection {
  socket: Socket;
  buffer: Buffer;
  pending: Buffer[];
  closed: boolean;
}

interface Group {
  conn: Connection;
  bytes: Uint8Array;
}

export class PgliteServer {
  private server: Server | null = null;
  private readonly connections = new Set<Connection>();
  private readonly queue: Group[] = [];
  private processing = false;
  private owner: Connection | null = null;
  port = 0;

  constructor(private readonly db: PGlite) {}

  async start(host = '127.0.0.1', port = 0): Promise<number> {
    await this.db.waitReady;
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('PGlite server has no TCP address');
    this.port = address.port;
    return this.port;
  }

  async stop(): Promise<void> {
    for (const conn of this.connections) conn.socket.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const conn: Connection = { socket, buffer: Buffer.alloc(0), pending: [], closed: false };
    this.connections.add(conn);
    let started = false;
    socket.on('data', (chunk) => {
      conn.buffer = conn.buffer.length === 0 ? chunk : Buffer.concat([conn.buffer, chunk]);
      started = this.split(conn, started);
    });
    const close = () => {
      if (conn.closed) return;
      conn.closed = true;
      this.connections.delete(conn);
      void this.release(conn);
    };
    socket.on('close', close);
    socket.on('error', close);
  }

  /** Cuts complete messages off the connection's buffer and queues them in atomic groups. */
  private split(conn: Connection, started: boolean): boolean {
    let buf = conn.buffer;
    for (;;) {
      if (!started) {
        if (buf.length < 8) break;
        const len = buf.readInt32BE(0);
        const code = buf.readInt32BE(4);
        if (code === SSL_REQUEST) {
          conn.socket.write('N');
          buf = buf.subarray(8);
          continue;
        }
        if (code === CANCEL_REQUEST) {
          buf = buf.subarray(len);
          continue;
        }
        if (buf.length < len) break;
        if (code !== PROTOCOL_3) {
          conn.socket.destroy();
          break;
        }
        this.enqueue(conn, buf.subarray(0, len));
        buf = buf.subarray(len);
        started = true;
        continue;
      }
      if (buf.length < 5) break;
      const len = 1 + buf.readInt32BE(1);
      if (buf.length < len) break;
      const type = String.fromCharCode(buf[0]!);
      const message = buf.subarray(0, len);
      buf = buf.subarray(len);
      if (type === 'X') {
        conn.socket.end();
        break;
      }
      conn.pending.push(message);
      // Sync ends an extended-protocol round; Query is a whole round; Flush asks for output now.
      if (type === 'S' || type === 'Q' || type === 'H' || type === 'c' || type === 'f') {
        this.enqueue(conn, Buffer.concat(conn.pending));
        conn.pending = [];
      }
    }
    conn.buffer = Buffer.from(buf);
    return started;
  }

  private enqueue(conn: Connection, bytes: Uint8Array): void {
    this.queue.push({ conn, bytes: new Uint8Array(bytes) });
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        let index = 0;
        if (this.owner && this.db.isInTransaction()) {
          index = this.queue.findIndex((g) => g.conn === this.owner);
          if (index === -1) break;
        }
        const [group] = this.queue.splice(index, 1);
        if (!group || group.conn.closed) continue;
        const { socket } = group.conn;
        await this.db.runExclusive(() =>
          this.db.execProtocolRawStream(group.bytes, {
            onRawData: (data: Uint8Array) => {
              if (data.length > 0 && socket.writable) socket.write(Buffer.from(data));
            },
          }),
        );
        this.owner = group.conn;
      }
    } finally {
      this.processing = false;
    }
  }

  /** A connection that vanished inside its transaction must not leave PGlite stuck in it. */
  private async release(conn: Connection): Promise<void> {
    if (!this.server) return;
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.conn === conn) this.queue.splice(i, 1);
    if (this.owner === conn) {
      this.owner = null;
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    }
    void this.drain();
  }
}
