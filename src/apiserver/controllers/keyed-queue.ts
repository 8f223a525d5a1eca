/**
 * A small work queue for the server's own controllers: one pending entry per key, a bounded
 * number of workers, and retry with backoff when a pass reports "not done yet" or fails.
 */
export type Outcome = 'done' | 'retry';

export class KeyedQueue {
  private readonly pending = new Set<string>();
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly attempts = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly work: (key: string) => Promise<Outcome>,
    private readonly onError: (key: string, error: unknown) => void,
    private readonly concurrency = 4,
  ) {}

  add(key: string): void {
    if (this.closed) return;
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    this.pending.add(key);
    this.pump();
  }

  private later(key: string): void {
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const delay = Math.min(50 * 2 ** Math.min(attempt, 6), 2000);
    if (this.timers.has(key)) return;
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.add(key);
      }, delay),
    );
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.pending.size > 0) {
      const key = this.pending.values().next().value as string;
      this.pending.delete(key);
      this.running.add(key);
      void this.work(key)
        .then(
          (outcome) => {
            if (outcome === 'retry') this.later(key);
            else this.attempts.delete(key);
          },
          (error: unknown) => {
            this.onError(key, error);
            this.later(key);
          },
        )
        .finally(() => {
          this.running.delete(key);
          if (this.dirty.delete(key)) this.add(key);
          this.pump();
        });
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.pending.clear();
  }
}
