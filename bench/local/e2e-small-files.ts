/** The 2,000 small files of e2e/local-mirror.spec.ts (`many/dNN/fNNN.txt`, 64 B – 4 KiB) as a benchmark corpus (bench/local). */
import type { Corpus } from '../inventory/corpus.ts';
import { sourceCorpus } from '../../e2e/support/corpus.ts';

export function e2eSmallFiles(small: number): Corpus {
  const spec = Object.fromEntries(Object.entries(sourceCorpus({ bigMiB: 0, small })).filter(([path]) => path.startsWith('many/')));
  let bytes = 0;
  for (const file of Object.values(spec)) if (file && 'size' in file) bytes += file.size;
  return { name: 'small', spec, files: Object.keys(spec).length, bytes };
}
