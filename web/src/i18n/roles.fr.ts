/** Texte français des rôles des membres (issue 13) : la liste Rôle, les refus dus aux rôles, les modifications locales. */
import type { rolesEn } from './roles.en.ts';

export const rolesFr: Record<keyof typeof rolesEn, string> = {
  'role.label': 'Rôle',
  'role.send-receive': 'Envoyer et recevoir',
  'role.send-only': 'Envoi seul',
  'role.receive-only': 'Réception seule',
  'role.byLeader': 'Choisi par le membre A',
  'refusal.send-only': '{source} est en envoi seul : jamais écrit.',
  'refusal.receive-only': '{source} est en réception seule : son contenu ne se propage pas.',
  'refusal.local-change': 'Une modification locale de {source} (réception seule) : non reportée.',
  'skip.send-only': '{source} est en envoi seul',
  'skip.receive-only': '{source} est en réception seule',
  'skip.local-change': 'modification locale sur {source} (réception seule)',
  'local.title': 'Modifications locales',
  'local.intro': "Cet ordinateur est en réception seule : ces modifications ne sont pas envoyées aux autres. Gardez-les telles quelles, ou annulez-les pour reprendre l’état des autres (ce qu’elles remplacent est gardé dans les versions).",
  'local.item': '{path} ({source}) : {change}',
  'local.created': 'créé ici',
  'local.edited': 'modifié ici',
  'local.deleted': 'supprimé ici',
  'local.revert': 'Rétablir',
  'local.revertOne': 'Rétablir {path}',
  'local.revertAll': 'Tout rétablir',
  'local.reverted': '{done, plural, one {# élément rétabli} other {# éléments rétablis}}, {failed} en échec',
};
