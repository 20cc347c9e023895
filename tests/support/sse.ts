/** An event stream (SSE) read over real HTTP with a session cookie: each \`data:\` frame's JSON, in order. */
import http from 'node:http';

export function openStream(url: string, cookie: string): Promise<{ next(): Promise<unknown>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { Cookie: cookie } }, (res) => {
      let buffer = '';
      const queue: unknown[] = [];
      const waiting: Array<(v: unknown) => void> = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const value: unknown = JSON.parse(data.slice(6));
          const waiter = waiting.shift();
          if (waiter) waiter(value);
          else queue.push(value);
        }
      });
      resolve({
        next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiting.push(r))),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
