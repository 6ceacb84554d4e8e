/** A tiny typed event emitter: the engine emits, UI state classes subscribe. */

export type EventMap = Record<string, unknown[]>;
type AnyHandler = (...args: unknown[]) => void;

export class Emitter<M extends EventMap> {
  #handlers = new Map<keyof M, Set<AnyHandler>>();

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof M>(name: K, handler: (...args: M[K]) => void): () => void {
    let set = this.#handlers.get(name);
    if (!set) this.#handlers.set(name, (set = new Set()));
    const h = handler as unknown as AnyHandler;
    set.add(h);
    return () => set.delete(h);
  }

  emit<K extends keyof M>(name: K, ...args: M[K]): void {
    for (const handler of this.#handlers.get(name) ?? []) handler(...args);
  }
}
