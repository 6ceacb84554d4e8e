/** Test support: fast-check arbitraries of folder trees (MemFs.from specs) and of the names in them. */
import fc from 'fast-check';
import type { TreeSpec } from './memfs.ts';
import { isValidName } from '../paths.ts';
import { isExcluded } from '../inventory/exclusions.ts';

/** Names of 1 to 3 of `letters` that a folder may hold and the default exclusions keep (neither file nor folder excluded). */
export function validNames(letters: readonly string[]): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...letters), { minLength: 1, maxLength: 3 })
    .map((parts) => parts.join(''))
    .filter((n) => isValidName(n) && !isExcluded(n, 'file', true) && !isExcluded(n, 'directory', true));
}

/** Trees of `name`d entries, each a file of `content` (twice as likely as a folder) or a folder, at most `maxDepth` deep. */
export function trees(name: fc.Arbitrary<string>, content: fc.Arbitrary<string | Uint8Array>, shape: { maxKeys: number; maxDepth: number }): fc.Arbitrary<TreeSpec> {
  const { tree } = fc.letrec<{ tree: TreeSpec; node: string | Uint8Array | TreeSpec }>((tie) => ({
    tree: fc.dictionary(name, tie('node'), { maxKeys: shape.maxKeys, depthIdentifier: 'tree' }),
    node: fc.oneof({ depthIdentifier: 'tree', maxDepth: shape.maxDepth }, content, content, tie('tree')),
  }));
  return tree;
}
