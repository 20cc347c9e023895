/**
 * Test double: a Transport for the renderer's api client (renderer/src/api/client.ts) with no backend behind it.
 * Each operation answers from a handler the test sets (a Result, as the desk would send it); every call is
 * recorded; the test pushes events and connection changes as the stream would.
 */
import type { ConnectionState, Transport } from '../../../renderer/src/api/client';
import type { DeskErrorShape, OperationName } from '../../../shared/api';

type Handler = (input: unknown) => unknown;

export class FakeTransport implements Transport {
  readonly kind = 'http' as const;
  readonly deskId = 'browser-0000test';
  readonly calls: Array<{ name: OperationName; input: unknown }> = [];
  private readonly handlers = new Map<OperationName, Handler>();
  private onEvent: ((raw: unknown) => void) | null = null;
  private onState: ((state: ConnectionState, needsResync: boolean) => void) | null = null;

  /** Answers `name` with { ok: true, value } (value computed per call when a function). */
  answer(name: OperationName, value: unknown): this {
    this.handlers.set(name, (input) => ({ ok: true, value: typeof value === 'function' ? (value as Handler)(input) : value }));
    return this;
  }

  /** Answers `name` with { ok: false, error }. */
  fail(name: OperationName, error: DeskErrorShape): this {
    this.handlers.set(name, () => ({ ok: false, error }));
    return this;
  }

  /** Answers `name` only when the test says so: for reads still on the wire when something else happens. */
  hold(name: OperationName): { release(value: unknown): void } {
    let release: (value: unknown) => void = () => undefined;
    const answered = new Promise<unknown>((resolve) => (release = resolve));
    this.handlers.set(name, () => answered.then((value) => ({ ok: true, value })));
    return { release: (value) => release(value) };
  }

  callsOf(name: OperationName): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input);
  }

  async call(name: OperationName, input: unknown): Promise<unknown> {
    this.calls.push({ name, input });
    const handler = this.handlers.get(name);
    if (!handler) return { ok: false, error: { code: 'unknown_operation', message: `no answer set for ${name}` } };
    return handler(input);
  }

  listen(onEvent: (raw: unknown) => void, onState: (state: ConnectionState, needsResync: boolean) => void): () => void {
    this.onEvent = onEvent;
    this.onState = onState;
    onState('live', false);
    return () => {
      this.onEvent = null;
      this.onState = null;
    };
  }

  get listening(): boolean {
    return this.onEvent !== null;
  }

  push(event: unknown): void {
    this.onEvent?.(event);
  }

  connection(state: ConnectionState, needsResync: boolean): void {
    this.onState?.(state, needsResync);
  }
}

/** Lets every answer already given run its callbacks: the double answers at once, so one turn of the event loop. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
