/** Texte français de la coque de l’application. Mêmes clés que app.en.ts. */
import type { appEn } from './app.en.ts';

export const appFr: Record<keyof typeof appEn, string> = {
  'app.theme': 'Thème',
  'app.theme.system': 'Système',
  'app.theme.light': 'Clair',
  'app.theme.dark': 'Sombre',
  'pwa.offline': 'Vous êtes hors ligne. Quintet s’ouvre quand même et la synchronisation locale fonctionne ; les sessions cloud ont besoin du réseau pour joindre les autres membres.',
  'pwa.updateReady': 'Une nouvelle version est prête.',
  'pwa.reload': 'Recharger',
  'pwa.later': 'Plus tard',
  'unsupported.title': 'Ce navigateur ne peut pas ouvrir vos dossiers',
  'unsupported.why': 'Quintet lit et écrit les dossiers grâce à l’API File System Access, présente dans Chrome, Edge et Opera sur ordinateur. Ce navigateur ne l’a pas : il ne peut donc pas synchroniser ici, ni en local ni dans une session cloud.',
  'unsupported.works': 'Ce qui fonctionne ici : lire, ci-dessous, comment fonctionne Quintet.',
  'unsupported.next': 'Pour synchroniser, ouvrez cette page dans Chrome ou Edge sur un ordinateur. Un lien d’invitation y fonctionne aussi : copiez l’adresse entière, avec sa partie #join.',
};
