/**
 * The one client pattern for every worker: a typed request map and reply map, a `requestId` on every
 * message, `progress` routed to the request that asked, `cancel` by id (or by AbortSignal), errors that
 * cross the boundary as plain data, and a worker that is replaced when it crashes.
 *
 * Each worker's protocol file (`*-protocol.ts` beside it) declares `Requests` (type → body) and
 * `Replies` (type → body); the replies `progress`, `cancelled` and `error` mean the same for all.
 */

/** Rejection reason of a request that was cancelled (by `cancel`, an AbortSignal or a newer request). */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

import { GridTooLargeError } from '../coverage/grid';
import { InputError, type InputErrorJSON } from '../coverage/input-error';

/**
 * An error reply's body: the message, whether the user's input was at fault, and then the problem
 * (file, feature, problem, code) as plain data; the client rejects with the same InputError.
 */
export interface WorkerErrorBody {
  message: string;
  inputError: boolean;
  input?: InputErrorJSON | null;
}

/** The replies every protocol has. */
export interface CommonReplies<Progress> {
  progress: Progress;
  cancelled: Record<never, never>;
  error: WorkerErrorBody;
}

/** A request message: `type`, `requestId` and the body of its type. */
export type RequestMessage<Requests> = {
  [K in keyof Requests]: { type: K; requestId: number } & Requests[K];
}[keyof Requests];

/** A reply message: `type`, `requestId` and the body of its type. */
export type ReplyMessage<Replies> = {
  [K in keyof Replies]: { type: K; requestId: number } & Replies[K];
}[keyof Replies];

/** The cancel request every protocol accepts. */
export interface CancelRequest {
  cancel: { targetRequestId: number };
}

interface Pending<Replies> {
  resolve: (reply: ReplyMessage<Replies>) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: never) => void;
}

/** Options of one request. */
export interface RequestOptions<Progress> {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  transfer?: Transferable[];
}

/**
 * The page's side of one worker. `request` resolves with the terminal reply (any type but `progress`,
 * `cancelled` and `error`), rejects with CancelledError, InputError (the user's input) or Error.
 */
export class WorkerClient<Requests extends CancelRequest, Replies extends CommonReplies<unknown>> {
  private worker: Worker | null = null;
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending<Replies>>();
  /** Number of times the worker was replaced after a crash (or `restart`). */
  restarts = 0;

  /**
   * @param createWorker makes the worker (a stand-in in tests); called lazily and after a crash
   * @param onRestart called after the worker was replaced (the caller forgets what the old one held)
   */
  constructor(
    private readonly createWorker: () => Worker,
    private readonly onRestart: () => void = () => {},
  ) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (event: MessageEvent<ReplyMessage<Replies>>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.restart(new Error(`the worker failed: ${event.message || 'unknown error (out of memory?)'}`));
    };
    this.worker = worker;
    return worker;
  }

  /** The worker (created on first use); the same object until a restart. */
  get current(): Worker {
    return this.ensureWorker();
  }

  /** A fresh request id (for messages that get no reply, such as parts of a layer set). */
  newRequestId(): number {
    return this.nextRequestId++;
  }

  /** Posts a message that gets no reply. */
  post(message: RequestMessage<Requests>, transfer: Transferable[] = []): void {
    this.ensureWorker().postMessage(message, transfer);
  }

  private receive(reply: ReplyMessage<Replies>): void {
    const pending = this.pending.get(reply.requestId);
    if (!pending) return;
    const { type, requestId: _requestId, ...body } = reply as { type: string; requestId: number };
    if (type === 'progress') {
      pending.onProgress?.(body as never);
      return;
    }
    this.pending.delete(reply.requestId);
    if (type === 'cancelled') pending.reject(new CancelledError());
    else if (type === 'error') {
      const error = body as WorkerErrorBody;
      pending.reject(error.inputError && error.input ? InputError.fromJSON(error.input) : new Error(error.message));
    } else pending.resolve(reply);
  }

  /** Sends a request; the promise settles with its terminal reply. */
  request<K extends keyof Requests & string>(
    type: K,
    body: Requests[K],
    options: RequestOptions<Replies['progress']> = {},
  ): { requestId: number; reply: Promise<ReplyMessage<Replies>> } {
    const requestId = this.nextRequestId++;
    const reply = new Promise<ReplyMessage<Replies>>((resolve, reject) => {
      this.pending.set(requestId, {
        resolve,
        reject,
        onProgress: options.onProgress as Pending<Replies>['onProgress'],
      });
    });
    options.signal?.addEventListener('abort', () => this.cancel(requestId), { once: true });
    this.post({ type, requestId, ...body } as unknown as RequestMessage<Requests>, options.transfer);
    return { requestId, reply };
  }

  /** Cancels a request: the worker is told, and its promise rejects now with CancelledError. */
  cancel(requestId: number): void {
    const pending = this.pending.get(requestId);
    if (!pending) return;
    this.post({
      type: 'cancel',
      requestId: this.nextRequestId++,
      targetRequestId: requestId,
    } as unknown as RequestMessage<Requests>);
    // Reject now: the page moves on; a late reply for this id is ignored.
    this.pending.delete(requestId);
    pending.reject(new CancelledError());
  }

  /** Whether a request is still waiting for its reply. */
  isPending(requestId: number): boolean {
    return this.pending.has(requestId);
  }

  /** Terminates the worker, rejects what was pending and starts afresh on the next request. */
  restart(reason: Error = new Error('the worker was restarted')): void {
    this.worker?.terminate();
    this.worker = null;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const entry of pending) entry.reject(reason);
    this.restarts++;
    this.onRestart();
    this.ensureWorker();
  }

  /** Terminates the worker and rejects what was pending with CancelledError. */
  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const entry of pending) entry.reject(new CancelledError());
  }
}

/** The worker's side: posts replies of a protocol (`scope.postMessage`, typed). */
export function replier<Replies>(scope: { postMessage: (message: unknown, transfer: Transferable[]) => void }) {
  return (message: ReplyMessage<Replies>, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
}

/** The error reply body of a caught error (an InputError travels as its JSON). */
export function errorBody(error: unknown): WorkerErrorBody {
  // A grid too large for the engine travels as a coded input error, so the page can translate it.
  const coded = error instanceof GridTooLargeError ? error.toInputError() : error;
  const input = coded instanceof InputError ? coded.toJSON() : null;
  return { message: error instanceof Error ? error.message : String(error), inputError: input !== null, input };
}
