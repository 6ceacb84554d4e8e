/**
 * Test helper: `fs.move` of folder `dir` as the browser's folder move (adapters/browser/fsa-move.ts moveTree) goes when
 * a save lands midway: `dir/<first>` moved into the destination's tree, then `saved` written at `dir/<first>`, then the
 * folder's removal fails, and that item cannot go back over the save. Other moves are the file system's own.
 */
import { FsError } from '../errors.ts';
import type { MemFs } from './memfs.ts';

export function saveDuringFolderMove(fs: MemFs, dir: string, first: string, saved: string): void {
  const move = fs.move?.bind(fs) as NonNullable<MemFs['move']>;
  Object.assign(fs, {
    move: async (from: string, to: string) => {
      if (from !== dir) return move(from, to);
      await fs.mkdir(to);
      await move(`${dir}/${first}`, `${to}/${first}`);
      fs.writeFile(`${dir}/${first}`, saved);
      throw new FsError('changed', dir, 'holds an item saved there meanwhile: left as it was');
    },
  });
}
