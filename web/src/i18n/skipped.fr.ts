/** Texte français de ce qu'une synchronisation ignore et de ce qu'une page ne voit pas (issue 9, constats 11–13). */
import type { skippedEn } from './skipped.en.ts';

export const skippedFr: Record<keyof typeof skippedEn, string> = {
  'sync.finishedWithSkipped': 'Synchronisation terminée avec {skipped, plural, one {# ignoré} other {# ignorés}}',
  'sync.finishedWithErrorsAndSkipped': 'Synchronisation terminée avec {count, plural, one {# erreur} other {# erreurs}} et {skipped, plural, one {# ignoré} other {# ignorés}}',
  'sync.skipped.title': '{count, plural, one {# élément ignoré} other {# éléments ignorés}}',
  'skip.status': 'Ignoré : {reason}',
  'skip.unreadable': 'illisible sur {source}',
  'skip.name-refused': 'un nom que la cible ne peut pas porter ({problem})',
  'skip.permission': "pas d’autorisation d’écrire sur {source}",
  'skip.unreadable.root': "{source} n’a pas pu être lu du tout (supprimé, déplacé ou sur un disque non monté ?) : laissé de côté",
  'refusal.unreadable.root': "{source} n’a pas pu être lu du tout : son dossier a été supprimé ou déplacé, ou son disque n’est pas monté ? Il est laissé de côté : rien n’y est écrit et rien n’est supprimé sur les autres. Si le dossier a été déplacé, retirez {source} et ajoutez de nouveau le dossier.",
  'skip.emptied': "{source} ne contient plus rien (un disque non monté ?) : laissé de côté",
  'refusal.emptied': "{source} ne contient plus rien, alors qu’il avait des fichiers à la dernière synchronisation : un disque non monté ou un dossier remplacé ? Il est laissé de côté : rien n’est supprimé sur les autres (un miroir depuis lui, ou des règles qui suppriment, sont refusés) et rien n’y est écrit. Si vous l’avez vidé exprès, supprimez aussi les fichiers des autres dossiers.",
  'refusal.permission': "L’autorisation d’écrire sur {source} a été refusée : ignoré.",
  'permission.refused': "Chrome n’a pas autorisé Quintet à écrire dans {sources} : rien n’y a été écrit, et ses éléments sont listés comme ignorés.",
  'permission.howTo': "Pour l’accorder, cliquez de nouveau sur « Démarrer la synchronisation » et choisissez « Autoriser » (« Modifier les fichiers ») quand Chrome le demande. Si Chrome ne le demande plus, cliquez sur l’icône à gauche de la barre d’adresse, ouvrez les paramètres du site et autorisez la modification des fichiers, ou retirez le dossier et ajoutez-le de nouveau.",
  'permission.needed': "Le plan écrit dans {sources}, que Quintet ne peut encore que lire : autorisez l’écriture, sinon ses éléments seront ignorés.",
  'permission.mayNeed': "Le plan du membre A peut écrire dans {sources}, que Quintet ne peut encore que lire : autorisez l’écriture maintenant, sinon leurs éléments seront ignorés.",
  'permission.allow': "Autoriser l’écriture dans {source}",
  'permission.cloudHowTo': "Pour l’accorder, le membre qui détient le dossier clique sur « Autoriser l’écriture dans … » sur sa page et choisit « Autoriser » (« Modifier les fichiers ») quand Chrome le demande ; puis le membre A relance la synchronisation. Si Chrome ne le demande plus, cliquez sur l’icône à gauche de la barre d’adresse, ouvrez les paramètres du site et autorisez la modification des fichiers, ou retirez le dossier et ajoutez-le de nouveau.",
  'visibility.label': 'Invisible pour le navigateur',
  'visibility.text': "Une page web ne voit pas les liens (vers des fichiers ou des dossiers, ni les liens cassés), les fichiers spéciaux (tubes, périphériques : vus comme des fichiers vides) ni les noms que Chrome refuse (comme a:b.txt, back\\slash.txt, ou un nom finissant par un point). Ils ne sont ni synchronisés ni comptés.",
  'visibility.wayOut': "La solution : le membre en ligne de commande « quintet », sans interface, les voit, lit les noms que Chrome refuse et signale les liens et fichiers spéciaux comme ignorés. Lancez-le sur l’ordinateur qui contient le dossier (`npx quintet join <lien d’invitation> --source <dossier>`, ou `npx quintet local` pour des dossiers sur une même machine).",
  'help.title': 'Aide : ce que Quintet ne voit pas dans un dossier',
};
