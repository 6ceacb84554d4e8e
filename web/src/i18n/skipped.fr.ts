/** Texte français de ce qu'une synchronisation ignore et de ce qu'une page ne voit pas (issue 9, constats 11–13). */
import type { skippedEn } from './skipped.en.ts';

export const skippedFr: Record<keyof typeof skippedEn, string> = {
  'sync.finishedWithSkipped': 'Synchronisation terminée avec {skipped} ignorés',
  'sync.finishedWithErrorsAndSkipped': 'Synchronisation terminée avec {count} erreurs et {skipped} ignorés',
  'sync.skipped.title': '{count} éléments ignorés',
  'skip.status': 'Ignoré : {reason}',
  'skip.unreadable': 'illisible sur {source}',
  'skip.name-refused': 'un nom que la cible ne peut pas porter ({problem})',
  'skip.permission': "pas d'autorisation d'écrire sur {source}",
  'refusal.permission': "L'autorisation d'écrire sur {source} a été refusée : ignoré.",
  'permission.refused': "Chrome n'a pas autorisé Quintet à écrire dans {sources} : rien n'y a été écrit, et ses éléments sont listés comme ignorés.",
  'permission.howTo': "Pour l'accorder, cliquez de nouveau sur « Démarrer la synchronisation » et choisissez « Autoriser » (« Modifier les fichiers ») quand Chrome le demande. Si Chrome ne le demande plus, cliquez sur l'icône à gauche de la barre d'adresse, ouvrez les paramètres du site et autorisez la modification des fichiers, ou retirez le dossier et ajoutez-le de nouveau.",
  'visibility.label': 'Invisible pour le navigateur',
  'visibility.text': "Une page web ne voit pas les liens (vers des fichiers ou des dossiers, ni les liens cassés), les fichiers spéciaux (tubes, périphériques : vus comme des fichiers vides) ni les noms que Chrome refuse (comme a:b.txt, back\\slash.txt, ou un nom finissant par un point). Ils ne sont ni synchronisés ni comptés.",
  'visibility.wayOut': "La solution : le membre en ligne de commande « quintet », sans interface, les voit et les signale. Il arrive dans la prochaine version et n'existe pas encore ; d'ici là, gardez ces éléments hors des dossiers synchronisés, ou copiez-les par d'autres moyens.",
  'help.title': 'Aide : ce que Quintet ne voit pas dans un dossier',
};
