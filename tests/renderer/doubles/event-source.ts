/**
 * Test double: the part of the browser's EventSource the renderer's HTTP transport uses (open, error, named
 * events, readyState, close), over node:http, since Node 20 has none. It reads a real server-sent-event stream;
 * unlike a browser it never reconnects by itself: a failed or ended stream is CLOSED, which is the case the
 * transport must restart on its own.
 */
import http from 'node:http';

type Listener = (event: { data?: unknown }) => void;

export class NodeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static readonly opened: NodeEventSource[] = [];

  readyState = NodeEventSource.CONNECTING;
  private readonly listeners = new Map<string, Listener[]>();
  private readonly request: http.ClientRequest;

  constructor(readonly url: string) {
    NodeEventSource.opened.push(this);
    this.request = http.get(url, { headers: { Accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode !== 200 || !String(response.headers['content-type']).startsWith('text/event-stream')) {
        response.resume();
        this.fail();
        return;
      }
      this.readyState = NodeEventSource.OPEN;
      this.emit('open', {});
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      });
      response.on('end', () => this.fail());
    });
    this.request.on('error', () => this.fail());
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.readyState = NodeEventSource.CLOSED;
    this.request.destroy();
  }

  private dispatch(block: string): void {
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    this.emit(type, { data: data.join('\n') });
  }

  private fail(): void {
    if (this.readyState === NodeEventSource.CLOSED) return;
    this.readyState = NodeEventSource.CLOSED;
    this.emit('error', {});
  }

  private emit(type: string, event: { data?: unknown }): void {
    for (const l of this.listeners.get(type) ?? []) l(event);
  }
}
