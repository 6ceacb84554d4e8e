/**
 * Init script for bench/inventory/profile.ts: counts the page's platform calls an inventory makes (File System Access,
 * Blob reads, Worker messages, IndexedDB requests) with the wall time during which at least one of each was in flight.
 * `window.__calls.reset()` starts over, `report()` gives one line per call. Serialized into the page: self-contained.
 */
export function countCalls(): void {
  interface Count {
    calls: number;
    inFlight: number;
    busySince: number;
    busy: number;
    bytes: number;
  }
  const counts = new Map<string, Count>();
  const countOf = (name: string) => counts.get(name) ?? counts.set(name, { calls: 0, inFlight: 0, busySince: 0, busy: 0, bytes: 0 }).get(name)!;
  const begin = (c: Count) => {
    c.calls++;
    if (c.inFlight++ === 0) c.busySince = performance.now();
  };
  const end = (c: Count) => {
    if (--c.inFlight === 0) c.busy += performance.now() - c.busySince;
  };
  const wrapAsync = (proto: Record<string, unknown>, method: string, name: string) => {
    const original = proto[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof original !== 'function') return;
    proto[method] = function (this: unknown, ...args: unknown[]) {
      const c = countOf(name);
      begin(c);
      const p = original.apply(this, args);
      p.then(
        (v) => {
          if (v instanceof ArrayBuffer) c.bytes += v.byteLength;
          end(c);
        },
        () => end(c),
      );
      return p;
    };
  };
  const wrapIterator = (proto: Record<string, unknown>, method: string, name: string) => {
    const original = proto[method] as ((...args: unknown[]) => AsyncIterableIterator<unknown>) | undefined;
    if (typeof original !== 'function') return;
    proto[method] = async function* (this: unknown, ...args: unknown[]) {
      const c = countOf(name);
      begin(c);
      try {
        for await (const item of original.apply(this, args)) {
          countOf(`${name} item`).calls++;
          yield item;
        }
      } finally {
        end(c);
      }
    };
  };
  const dirProto = FileSystemDirectoryHandle.prototype as unknown as Record<string, unknown>;
  const fileProto = FileSystemFileHandle.prototype as unknown as Record<string, unknown>;
  wrapAsync(dirProto, 'getFileHandle', 'FileSystemDirectoryHandle.getFileHandle');
  wrapAsync(dirProto, 'getDirectoryHandle', 'FileSystemDirectoryHandle.getDirectoryHandle');
  wrapIterator(dirProto, 'entries', 'FileSystemDirectoryHandle.entries');
  wrapAsync(fileProto, 'getFile', 'FileSystemFileHandle.getFile');
  wrapAsync(Blob.prototype as unknown as Record<string, unknown>, 'arrayBuffer', 'Blob.arrayBuffer');
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, ...args: Parameters<Worker['postMessage']>) {
    countOf('Worker.postMessage').calls++;
    return post.apply(this, args);
  } as Worker['postMessage'];
  const requests = (proto: Record<string, unknown>, method: string) => {
    const original = proto[method] as (...args: unknown[]) => IDBRequest;
    proto[method] = function (this: unknown, ...args: unknown[]) {
      const c = countOf(`IDBObjectStore.${method}`);
      begin(c);
      const r = original.apply(this, args);
      r.addEventListener('success', () => end(c));
      r.addEventListener('error', () => end(c));
      return r;
    };
  };
  for (const m of ['get', 'put', 'getAll', 'delete']) requests(IDBObjectStore.prototype as unknown as Record<string, unknown>, m);
  (window as unknown as Record<string, unknown>).__calls = {
    reset: () => counts.clear(),
    report: () =>
      [...counts].map(([name, c]) => `${name}: ${c.calls} calls${c.busy > 0 ? `, in flight during ${c.busy.toFixed(0)} ms` : ''}${c.bytes > 0 ? `, ${(c.bytes / 2 ** 20).toFixed(1)} MiB` : ''}`),
  };
}
