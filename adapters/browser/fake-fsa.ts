/** In-memory File System Access handles for unit tests of the browser adapters: files, folders, move(), hooks for races. */
export const named = (name: string) => Object.assign(new Error(name), { name });

/** A file handle; `move` absent when `movable` is false (a Chrome without FileSystemHandle.move()). */
export class FakeFile {
  readonly kind = 'file';
  move?: (dir: FakeDir, name: string) => Promise<void>;
  constructor(public name: string, public parent: FakeDir, public data: File, movable: boolean, readonly hooks: Hooks) {
    if (movable) {
      this.move = async (dir, to) => {
        await hooks.beforeMove?.(this);
        const [from, name] = [this.parent, this.name];
        from.children.delete(name);
        dir.children.set(to, this); // replaces what stood there, as Chrome's move() does
        this.parent = dir;
        this.name = to;
        await hooks.afterMove?.(from, name);
      };
    }
  }

  async getFile(): Promise<File> {
    if (this.parent.children.get(this.name) !== this) throw named('NotFoundError');
    return this.data;
  }

  async createWritable(): Promise<WritableStream> {
    const parts: BlobPart[] = [];
    return new WritableStream({
      write: (chunk: Uint8Array<ArrayBuffer>) => void parts.push(chunk),
      close: async () => {
        this.data = new File(parts, this.name, { lastModified: Date.now() });
        await this.hooks.afterCopy?.(this);
      },
    });
  }
}

export interface Hooks {
  beforeMove?: (file: FakeFile) => void | Promise<void>;
  afterMove?: (from: FakeDir, name: string) => void | Promise<void>;
  afterCopy?: (copy: FakeFile) => void | Promise<void>;
}

export class FakeDir {
  readonly kind = 'directory';
  readonly children = new Map<string, FakeDir | FakeFile>();
  constructor(readonly name: string, readonly hooks: Hooks = {}, readonly movable = true) {}

  async getFileHandle(name: string, options: { create?: boolean } = {}): Promise<FakeFile> {
    const found = this.children.get(name);
    if (found instanceof FakeFile) return found;
    if (found) throw named('TypeMismatchError');
    if (!options.create) throw named('NotFoundError');
    const file = new FakeFile(name, this, new File([], name), this.movable, this.hooks);
    this.children.set(name, file);
    return file;
  }

  async getDirectoryHandle(name: string, options: { create?: boolean } = {}): Promise<FakeDir> {
    const found = this.children.get(name);
    if (found instanceof FakeDir) return found;
    if (found) throw named('TypeMismatchError');
    if (!options.create) throw named('NotFoundError');
    const dir = new FakeDir(name, this.hooks, this.movable);
    this.children.set(name, dir);
    return dir;
  }

  async removeEntry(name: string, options: { recursive?: boolean } = {}): Promise<void> {
    const found = this.children.get(name);
    if (!found) throw named('NotFoundError');
    if (found instanceof FakeDir && found.children.size > 0 && !options.recursive) throw named('InvalidModificationError');
    this.children.delete(name);
  }

  async *entries(): AsyncGenerator<[string, FakeDir | FakeFile]> {
    for (const entry of [...this.children]) yield entry;
  }

  /** Writes a file at `path` below this folder (folders made), as a save would; returns its handle. */
  put(path: string, content: string, lastModified = 1000): FakeFile {
    const [name, ...rest] = path.split('/');
    if (rest.length > 0) {
      const sub = this.children.get(name!) ?? new FakeDir(name!, this.hooks, this.movable);
      this.children.set(name!, sub);
      return (sub as FakeDir).put(rest.join('/'), content, lastModified);
    }
    const file = new FakeFile(name!, this, new File([content], name!, { lastModified }), this.movable, this.hooks);
    this.children.set(name!, file);
    return file;
  }

  /** The tree below, files as text. */
  async tree(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [name, item] of this.children) {
      if (item instanceof FakeFile) out[name] = await item.data.text();
      else for (const [sub, text] of Object.entries(await item.tree())) out[`${name}/${sub}`] = text;
      if (item instanceof FakeDir && item.children.size === 0) out[`${name}/`] = '';
    }
    return out;
  }
}

