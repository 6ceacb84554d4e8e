/** Texte français des sessions cloud. Mêmes clés que cloud.en.ts. */
import type { cloudEn } from './cloud.en.ts';

export const cloudFr: Record<keyof typeof cloudEn, string> = {
  'cloud.title': 'Synchronisation cloud',
};
