/** The node tree behind MemFs: files and folders by name, looked up as given or case-folded (Windows, macOS). */
import { FsError } from '../errors.ts';
import { isValidName, joinPath } from '../paths.ts';

export interface FileNode { kind: 'file'; name: string; data: Uint8Array; mtime: number; version: number }
export interface DirNode { kind: 'directory'; name: string; children: Map<string, Node> }
export type Node = FileNode | DirNode;

export class MemTree {
  readonly root: DirNode = { kind: 'directory', name: '', children: new Map() };
  readonly #caseInsensitive: boolean;

  constructor(caseInsensitive: boolean) {
    this.#caseInsensitive = caseInsensitive;
  }

  /** The key a name is held under in its folder (its display name stays on the node). */
  key(name: string): string {
    return this.#caseInsensitive ? name.toLowerCase() : name;
  }

  /** Total bytes of every file. */
  used(): number {
    let total = 0;
    const visit = (d: DirNode): void => {
      for (const n of d.children.values()) total += n.kind === 'file' ? n.data.length : (visit(n), 0);
    };
    visit(this.root);
    return total;
  }

  find(path: string): Node | undefined {
    if (path === '') return this.root;
    let node: Node = this.root;
    for (const name of path.split('/')) {
      if (node.kind !== 'directory') return undefined;
      const next: Node | undefined = node.children.get(this.key(name));
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  /** The folder at `path`: 'not-found' or 'type-mismatch' otherwise. */
  dir(path: string): DirNode {
    const node = this.find(path);
    if (!node) throw new FsError('not-found', path);
    if (node.kind !== 'directory') throw new FsError('type-mismatch', path);
    return node;
  }

  /** Creates `path` and its missing parents; a file in the way is 'type-mismatch', a bad name 'invalid-name'. */
  mkdirs(path: string): void {
    if (path === '') return;
    let node = this.root;
    let at = '';
    for (const name of path.split('/')) {
      at = joinPath(at, name);
      if (!isValidName(name)) throw new FsError('invalid-name', at);
      const next = node.children.get(this.key(name));
      if (next?.kind === 'file') throw new FsError('type-mismatch', at);
      if (next) node = next;
      else {
        const dir: DirNode = { kind: 'directory', name, children: new Map() };
        node.children.set(this.key(name), dir);
        node = dir;
      }
    }
  }
}
