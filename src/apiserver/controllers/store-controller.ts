/**
 * The server's own controllers (namespace lifecycle, CRD cleanup, garbage collection) all react to
 * the store's events through a keyed work queue: this is that shared shape.
 */
import type { WatchEvent } from '../storage/types.ts';
import type { ServerCore } from './core.ts';
import { KeyedQueue, type Outcome } from './keyed-queue.ts';

export abstract class StoreController {
  protected readonly queue: KeyedQueue;
  private readonly stopListening: () => void;

  constructor(
    protected readonly core: ServerCore,
    name: string,
    log: (message: string) => void,
  ) {
    this.queue = new KeyedQueue(
      (key) => this.process(key),
      (key, error) => log(`${name}: ${key}: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.stopListening = core.hub.listen((events) => this.observe(events));
  }

  /** Works one queued key; 'retry' comes back with backoff. */
  protected abstract process(key: string): Promise<Outcome>;

  /** Turns store events into queued keys. */
  protected abstract observe(events: readonly WatchEvent[]): void;

  close(): void {
    this.stopListening();
    this.queue.close();
  }
}
