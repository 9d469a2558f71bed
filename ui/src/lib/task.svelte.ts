// One call the window waits on: whether it is running, the sentence of its last error, and its
// last result — the "busy / error / result" every step shows.
import { errorMessage } from "./api";

/** A call a step runs and shows: busy while it runs, then its result or its error sentence. */
export class Task<T> {
  busy = $state(false);
  error = $state<string | null>(null);
  result = $state<T | null>(null);

  /** Runs `call`; its result is kept (and returned), or its error's sentence is. */
  async run(call: () => Promise<T>): Promise<T | null> {
    this.busy = true;
    this.error = null;
    try {
      const result = await call();
      this.result = result;
      return result;
    } catch (error) {
      this.error = errorMessage(error);
      this.result = null;
      return null;
    } finally {
      this.busy = false;
    }
  }
}
