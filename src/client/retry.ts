/** Read-modify-write under optimistic concurrency: on 409 Conflict, read again and redo the change. */
import { isConflict } from './errors.ts';

export interface RetryOptions {
  /** Default 5, as client-go's retry.DefaultRetry. */
  readonly attempts?: number;
  readonly delayMs?: number;
}

/** Runs `attempt` (which must read fresh state itself) until it does not fail with a conflict. */
export async function retryOnConflict<T>(attempt: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const delayMs = options.delayMs ?? 10;
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConflict(error) || i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs * (1 + Math.random() * 0.1)));
    }
  }
}
