/**
 * Init script for e2e pages: the File System Access pickers return folders and files of the Origin Private File
 * System, so the app's own code path runs on real handles. Tests queue what the next picker call
 * returns in `window.__quintetPicks`. `window.__quintetRevoke(name)` makes every handle obtained under a picked
 * root throw NotAllowedError, as Chrome does once the user revokes a site's access (OPFS itself can't be revoked).
 * Permission is modelled as Chrome grants it: a folder picked with `mode: 'read'` (and any picked file) may be read,
 * and writing there (createWritable, removeEntry, move, create) throws NotAllowedError until `requestPermission
 * ({ mode: 'readwrite' })` grants it. `window.__quintetDeny(name)` (or `'*'` for every root) makes that request
 * answer 'denied', as when the user clicks "Don't allow"; `window.__quintetAsked` lists the requests made.
 * The function is serialized into the page: it must not reference anything outside itself.
 */
export function installOpfsPickers(): void {
  type AnyHandle = FileSystemHandle & Record<string, unknown>;
  const w = window as unknown as Record<string, unknown>;
  const picks: string[] = [];
  const rootOf = new WeakMap<object, string>();
  const revoked = new Set<string>();
  w.__quintetPicks = picks;
  w.__quintetRevoke = (name: string) => revoked.add(name);
  w.__quintetRestore = (name: string) => revoked.delete(name);
  const writable = new Set<string>(); // roots granted 'readwrite'
  const denied = new Set<string>(); // roots whose write request the "user" refuses ('*': all)
  const asked: string[] = [];
  w.__quintetDeny = (name = '*') => denied.add(name);
  w.__quintetAllow = (name = '*') => denied.delete(name);
  w.__quintetAsked = asked;

  const notAllowed = () => new DOMException('The request is not allowed by the user agent or the platform in the current context.', 'NotAllowedError');
  const check = (handle: object) => {
    const root = rootOf.get(handle);
    if (root !== undefined && revoked.has(root)) throw notAllowed();
    return root;
  };
  const adopt = (child: unknown, root: string | undefined) => {
    if (root !== undefined && child && typeof child === 'object') rootOf.set(child, root);
    return child;
  };

  async function resolve(path: string, kind: 'file' | 'directory'): Promise<FileSystemHandle> {
    let dir = await navigator.storage.getDirectory();
    const parts = path.split('/');
    const last = parts.pop()!;
    for (const part of parts) dir = await dir.getDirectoryHandle(part, { create: true });
    return kind === 'directory' ? dir.getDirectoryHandle(last, { create: true }) : dir.getFileHandle(last);
  }

  w.showDirectoryPicker = async (options?: { mode?: 'read' | 'readwrite' }) => {
    const path = picks.shift();
    if (!path) throw new DOMException('The user aborted a request.', 'AbortError');
    if (options?.mode === 'readwrite') writable.add(path);
    else writable.delete(path);
    return adopt(await resolve(path, 'directory'), path);
  };
  w.showOpenFilePicker = async () => {
    const path = picks.shift();
    if (!path) throw new DOMException('The user aborted a request.', 'AbortError');
    return [adopt(await resolve(path, 'file'), path)];
  };

  // Wrap methods so revocation applies and children inherit their root.
  // Writing needs 'readwrite' on the picked root, as in Chrome.
  const checkWrite = (handle: object) => {
    const root = rootOf.get(handle);
    if (root !== undefined && !writable.has(root)) throw notAllowed();
  };
  const writes = (name: string, args: unknown[]) =>
    name === 'createWritable' || name === 'removeEntry' || name === 'move' || ((args[1] as { create?: boolean } | undefined)?.create === true);
  const wrapAsync = (proto: AnyHandle, name: string, returnsChild: boolean) => {
    const original = proto[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof original !== 'function') return;
    proto[name] = async function (this: object, ...args: unknown[]) {
      const root = check(this);
      if (writes(name, args)) checkWrite(this);
      const result = await original.apply(this, args);
      return returnsChild ? adopt(result, root) : result;
    };
  };
  const wrapIterator = (proto: AnyHandle, name: string) => {
    const original = proto[name] as ((...args: unknown[]) => AsyncIterableIterator<unknown>) | undefined;
    if (typeof original !== 'function') return;
    proto[name] = async function* (this: object, ...args: unknown[]) {
      const root = check(this);
      for await (const item of original.apply(this, args)) {
        check(this);
        if (Array.isArray(item)) adopt(item[1], root);
        else adopt(item, root);
        yield item;
      }
    };
  };
  const permission = (proto: AnyHandle, name: string) => {
    const original = proto[name] as ((...args: unknown[]) => Promise<PermissionState>) | undefined;
    proto[name] = async function (this: object, ...args: unknown[]) {
      const root = rootOf.get(this);
      if (root !== undefined && revoked.has(root)) return 'denied';
      const mode = (args[0] as { mode?: string } | undefined)?.mode;
      if (root !== undefined && mode === 'readwrite' && !writable.has(root)) {
        if (name === 'queryPermission') return 'prompt';
        asked.push(root);
        if (denied.has(root) || denied.has('*')) return 'denied';
        writable.add(root);
        return 'granted';
      }
      return original ? original.apply(this, args) : 'granted';
    };
  };

  const dirProto = FileSystemDirectoryHandle.prototype as unknown as AnyHandle;
  const fileProto = FileSystemFileHandle.prototype as unknown as AnyHandle;
  wrapAsync(dirProto, 'getDirectoryHandle', true);
  wrapAsync(dirProto, 'getFileHandle', true);
  wrapAsync(dirProto, 'removeEntry', false);
  wrapIterator(dirProto, 'entries');
  wrapIterator(dirProto, 'values');
  wrapIterator(dirProto, 'keys');
  wrapAsync(fileProto, 'getFile', false);
  wrapAsync(fileProto, 'createWritable', false);
  wrapAsync(fileProto, 'move', false);
  for (const proto of [dirProto, fileProto]) {
    permission(proto, 'queryPermission');
    permission(proto, 'requestPermission');
  }
}
