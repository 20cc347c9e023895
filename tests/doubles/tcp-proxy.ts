/**
 * TEST DOUBLE: a blocked port. A TCP relay on loopback in front of a desk's group port; block() cuts every
 * connection through it and refuses new ones (as a pulled cable or a switch that died would), unblock() lets
 * them through again. TLS passes through untouched: the desks on either side still pin each other.
 */
import net from 'node:net';

export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private blocked = false;
  private server: net.Server | null = null;
  address = '';

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<this> {
    const server = net.createServer((client) => {
      if (this.blocked) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.target);
      this.sockets.add(client);
      this.sockets.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.address = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    return this;
  }

  block(): void {
    this.blocked = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  unblock(): void {
    this.blocked = false;
  }

  async close(): Promise<void> {
    this.block();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
