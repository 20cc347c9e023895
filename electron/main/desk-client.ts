/**
 * Main's side of the desk process (electron/desk-process/host.ts): turns calls into messages and answers into promises, fans
 * the desk's events out, and knows what state the process is in. Written against a small channel interface so
 * it is tested under Node, against the real host, without Electron (tests/unit/electron/desk-process.test.ts).
 */
import type { DeskEvent, Result } from '../../shared/api';
import type { RestoreReport } from '../desk/backup';
import type { RequestContext } from '../desk/dispatch';
import type { PrintDocument } from '../desk/print';
import type { SheetRequest } from '../desk/sheet-request';
import type { BackupCandidate, HostMessage, HostRequest, OpenFailure } from '../desk-process/protocol';

/** The parts of Electron's UtilityProcess the client uses. */
export interface HostChannel {
  postMessage(message: HostRequest): void;
  onMessage(listener: (message: HostMessage) => void): void;
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

export type OpenOutcome = { ok: true } | { ok: false; failure: OpenFailure; backups: BackupCandidate[] } | { ok: false; exited: number };

export type DeskState = 'starting' | 'ready' | 'failed' | 'closing' | 'closed' | 'exited';

/** What a window is told when the desk process went away with its call unanswered. */
export const HOST_GONE_MESSAGE = 'the desk stopped before it answered; look at the appointment again before repeating the change, it may have been saved';

export class DeskClient {
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private readonly listeners = new Set<(event: DeskEvent) => void>();
  private readonly exitListeners = new Set<(code: number, wasExpected: boolean) => void>();
  private readonly opened: Promise<OpenOutcome>;
  private resolveOpened: (outcome: OpenOutcome) => void = () => undefined;
  private resolveClosed: () => void = () => undefined;
  private readonly closedPromise: Promise<void>;
  private stateValue: DeskState = 'starting';
  private pdfRenderer: ((doc: PrintDocument) => Promise<Uint8Array>) | null = null;

  constructor(
    private readonly channel: HostChannel,
    private readonly log: (level: 'info' | 'warn' | 'error', message: string) => void = () => undefined,
  ) {
    this.opened = new Promise((resolve) => (this.resolveOpened = resolve));
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
    channel.onMessage((message) => this.receive(message));
    channel.onExit((code) => this.exited(code));
  }

  get state(): DeskState {
    return this.stateValue;
  }

  /** Resolves once: the desk is open, or it could not be opened (and why), or the process died first. */
  whenOpen(): Promise<OpenOutcome> {
    return this.opened;
  }

  /**
   * Runs an operation in the desk process. Calls made before the desk is open are sent at once: the process
   * answers them after opening (or with a refusal if it could not open). Never rejects.
   */
  call(name: string, input: unknown, ctx: RequestContext): Promise<Result<unknown>> {
    return this.requestWhileOpen((id) => ({ type: 'call', id, name, input, ctx }));
  }

  /** A sheet ready to print, as the desk builds it for whoever ctx is (or why not). Never rejects. */
  sheet(request: SheetRequest, ctx: RequestContext): Promise<Result<PrintDocument>> {
    return this.requestWhileOpen((id) => ({ type: 'sheet', id, request, ctx })) as Promise<Result<PrintDocument>>;
  }

  /** A request for the open desk (or one opening): refused at once, unsent, once it is closing or gone. */
  private requestWhileOpen(message: (id: number) => HostRequest): Promise<Result<unknown>> {
    if (this.stateValue !== 'starting' && this.stateValue !== 'ready') {
      return Promise.resolve({ ok: false, error: { code: 'internal', message: this.unavailableMessage() } });
    }
    return this.request(message);
  }

  /** Only after a failed open: asks the desk process to put the named backup in place. */
  restore(backup: string): Promise<Result<RestoreReport>> {
    if (this.stateValue !== 'failed') {
      return Promise.resolve({ ok: false, error: { code: 'internal', message: 'a backup can only be restored while the desk is not open' } });
    }
    return this.request((id) => ({ type: 'restore', id, backup })) as Promise<Result<RestoreReport>>;
  }

  onEvent(listener: (event: DeskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Who makes the PDFs the desk process asks for (the outage pack): in the app, Electron's printToPDF. Without
   * one, each request is answered with a refusal the pack writer reports, and the previous pack stays.
   */
  setPdfRenderer(render: (doc: PrintDocument) => Promise<Uint8Array>): void {
    this.pdfRenderer = render;
  }

  /** Puts one of main's warnings in the desk's log file (the desk process keeps it); dropped once it has gone. */
  logToFile(level: 'info' | 'warn' | 'error', message: string): void {
    if (this.stateValue === 'closed' || this.stateValue === 'exited') return;
    this.channel.postMessage({ type: 'log', level, message });
  }

  /** Called when the process ends; `wasExpected` is false for a crash (not after close()). */
  onExit(listener: (code: number, wasExpected: boolean) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /**
   * Asks the desk process to take its exit backup, checkpoint and close; resolves when it has, or after
   * `timeoutMs`, when the process is killed (WAL with synchronous=FULL: every acknowledged change is already
   * on disk, only the tidy-up is lost).
   */
  async close(timeoutMs: number): Promise<void> {
    if (this.stateValue === 'closed' || this.stateValue === 'exited') return;
    if (this.stateValue !== 'closing') {
      this.stateValue = 'closing';
      this.channel.postMessage({ type: 'close' });
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([this.closedPromise.then(() => 'closed' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.log('warn', `the desk process did not close within ${timeoutMs} ms; stopping it`);
      this.channel.kill();
    }
  }

  private request(message: (id: number) => HostRequest): Promise<Result<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      try {
        this.channel.postMessage(message(id));
      } catch (error) {
        this.pending.delete(id);
        resolve({
          ok: false,
          error: { code: 'internal', message: `the desk could not be reached (${error instanceof Error ? error.message : String(error)}); nothing was changed` },
        });
      }
    });
  }

  private settle(id: number, result: Result<unknown>): void {
    const resolve = this.pending.get(id);
    if (!resolve) return;
    this.pending.delete(id);
    resolve(result);
  }

  private receive(message: HostMessage): void {
    switch (message.type) {
      case 'ready':
        if (this.stateValue === 'starting') this.stateValue = 'ready';
        this.resolveOpened({ ok: true });
        return;
      case 'failed':
        if (this.stateValue === 'starting') this.stateValue = 'failed';
        this.resolveOpened({ ok: false, failure: message.failure, backups: message.backups });
        return;
      case 'result':
      case 'restored':
        this.settle(message.id, message.result);
        return;
      case 'event':
        for (const listener of this.listeners) {
          try {
            listener(message.event);
          } catch {
            // A window that cannot take the event re-reads the day when it next asks; the others still get it.
          }
        }
        return;
      case 'log':
        this.log(message.level, message.message);
        return;
      case 'render-pdf':
        void this.renderPdf(message.id, message.doc);
        return;
      case 'closed':
        this.stateValue = 'closed';
        this.resolveClosed();
        return;
    }
  }

  private async renderPdf(id: number, doc: PrintDocument): Promise<void> {
    let result: Extract<HostRequest, { type: 'pdf' }>['result'];
    try {
      if (this.pdfRenderer === null) throw new Error('this app cannot make PDFs (no renderer)');
      result = { ok: true, pdf: await this.pdfRenderer(doc) };
    } catch (error) {
      result = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    try {
      this.channel.postMessage({ type: 'pdf', id, result });
    } catch {
      // The desk process has gone; its pack writer went with it.
    }
  }

  private exited(code: number): void {
    const wasExpected = this.stateValue === 'closing' || this.stateValue === 'closed';
    if (this.stateValue !== 'closed') this.stateValue = wasExpected ? 'closed' : 'exited';
    for (const id of [...this.pending.keys()]) this.settle(id, { ok: false, error: { code: 'internal', message: HOST_GONE_MESSAGE } });
    this.resolveOpened({ ok: false, exited: code });
    this.resolveClosed();
    for (const listener of this.exitListeners) listener(code, wasExpected);
  }

  private unavailableMessage(): string {
    switch (this.stateValue) {
      case 'failed':
        return 'the desk data could not be opened; nothing was changed';
      case 'closing':
      case 'closed':
        return 'the desk is closing; nothing was changed';
      case 'exited':
      case 'starting':
      case 'ready':
        return 'the desk has stopped; nothing was changed. Restart Standby Desk';
    }
  }
}
