/** libsodium (sumo build, for ristretto255) loaded once and shared. */
import sodiumModule from 'libsodium-wrappers-sumo';

/** The ready libsodium instance. */
export type Sodium = typeof sodiumModule;

let ready: Promise<Sodium> | undefined;

/** Awaits `sodium.ready` once and returns the instance; later calls share the same promise. */
export function getSodium(): Promise<Sodium> {
  ready ??= sodiumModule.ready.then(() => sodiumModule);
  return ready;
}
