/**
 * Writes a new file in `.quintet/tmp/` and moves it into place on commit, so a file appears only complete.
 * Why not createWritable on the target: for a file that does not exist yet, getFileHandle({create}) makes an
 * empty file visible at once and leaves it behind if the run stops; the swap file only protects existing files.
 */
import type { FileWriter } from '../../core/ports.ts';
import { fsaError, guard } from './fsa-errors.ts';
import { stagedName as stagedNameFor } from './staged-name.ts';

/** Quintet's working folder for half-written files; never inventoried (core/inventory/exclusions). */
export const STAGING_DIR = '.quintet/tmp';

let counter = 0;

export class StagedWriter implements FileWriter {
  private constructor(
    private readonly staging: FileSystemDirectoryHandle,
    private readonly stagedName: string,
    private readonly staged: FileSystemFileHandle,
    private readonly writable: FileSystemWritableFileStream,
    private readonly dir: FileSystemDirectoryHandle,
    private readonly name: string,
    private readonly path: string,
  ) {}

  static async open(options: { staging: FileSystemDirectoryHandle; dir: FileSystemDirectoryHandle; name: string; path: string }): Promise<StagedWriter> {
    const { staging, dir, name, path } = options;
    // Staged under the final name's extension: Chrome's file-type check then runs at most once (staged-name.ts).
    const stagedName = stagedNameFor(`${Date.now().toString(36)}-${(counter++).toString(36)}-${crypto.randomUUID().slice(0, 8)}`, name);
    return guard(path, async () => {
      const staged = await staging.getFileHandle(stagedName, { create: true });
      const writable = await staged.createWritable({ keepExistingData: false });
      return new StagedWriter(staging, stagedName, staged, writable, dir, name, path);
    });
  }

  write(chunk: Uint8Array): Promise<void> {
    return guard(this.path, () => this.writable.write(chunk as Uint8Array<ArrayBuffer>));
  }

  #closed = false;

  /**
   * FileWriter.flush: closes the staged file before the engine looks at the target. Chrome's close writes the swap file
   * over the staged one and may check its type (up to about 5 s: staged-name.ts); done in commit, between the look and
   * the move, an editor's save landing at the target meanwhile was replaced by move() unseen, not even kept.
   */
  async flush(): Promise<void> {
    if (this.#closed) return;
    await guard(this.path, () => this.writable.close());
    this.#closed = true;
  }

  async commit(): Promise<void> {
    await this.flush();
    const movable = this.staged as FileSystemFileHandle & { move?: (dir: FileSystemDirectoryHandle, name: string) => Promise<void> };
    if (typeof movable.move === 'function') {
      try {
        await movable.move(this.dir, this.name);
        return;
      } catch (error) {
        const mapped = fsaError(error, this.path);
        if (mapped.code !== 'io') {
          await this.#discard();
          throw mapped;
        }
      }
    }
    // Chrome without move() for user-visible files: replace the target through its own swap file.
    try {
      await guard(this.path, async () => {
        const file = await this.staged.getFile();
        const target = await this.dir.getFileHandle(this.name, { create: true });
        const writable = await target.createWritable({ keepExistingData: false });
        await file.stream().pipeTo(writable);
      });
    } finally {
      await this.#discard();
    }
  }

  async abort(): Promise<void> {
    await this.writable.abort().catch(() => {});
    await this.#discard();
  }

  async #discard(): Promise<void> {
    await this.staging.removeEntry(this.stagedName).catch(() => {});
  }
}
