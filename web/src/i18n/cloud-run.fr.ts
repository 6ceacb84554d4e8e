/** Texte français des exécutions cloud. Mêmes clés que cloud-run.en.ts. */
import type { cloudRunEn } from './cloud-run.en.ts';

export const cloudRunFr: Record<keyof typeof cloudRunEn, string> = {
  'run.title': 'Synchronisation',
  'run.startInventory': 'Lancer l’inventaire',
  'run.inventoryAgain': 'Relancer l’inventaire',
  'run.waitLeader': 'Le membre A lance l’inventaire.',
  'run.waitOthers': 'En attente des inventaires des autres membres…',
  'run.stage.inventory': '{letter} : inventaire — {files, plural, one {# fichier} other {# fichiers}}, {bytes}',
  'run.stage.hashing': '{letter} : inventaire — {found, plural, one {# fichier} other {# fichiers}}, {size} · hachage : {files} sur {filesTotal}, {bytes} sur {bytesTotal}',
  'run.stage.sync': '{letter} : {files}/{filesTotal, plural, one {# action} other {# actions}}, {bytes} sur {bytesTotal}, {rate}',
  'run.stage.done': '{letter} : terminé',
  'run.overall': 'Total : {files}/{filesTotal, plural, one {# action} other {# actions}}, {bytes} sur {bytesTotal}, {rate}, encore environ {left}',
  'run.member.result': '{letter} : {done, plural, one {# faite} other {# faites}}, {failed} en échec, {skipped, plural, one {# ignorée} other {# ignorées}}',
  'run.failure': '{path} : {reason}',
  'run.unflushed': 'Écriture non garantie sur le disque : {source} ({message}). Ce qui y a été écrit pourrait ne pas survivre à une coupure de courant.',
  'run.error.plan-mismatch': 'refusé : le plan ne correspond pas à la comparaison de ce membre',
  'run.error.member-left': 'le membre qui détient le contenu est parti',
  'run.problem': 'Refusé : {reason}',
  'run.leaderPlans': 'Le membre A choisit les actions.',
  'run.leftOut.emptied': '{source} ne contient plus rien alors qu’il avait des fichiers à la dernière synchronisation (un disque non monté ?) : le mode bidirectionnel le laisse de côté et un miroir depuis lui est refusé, rien n’est donc supprimé ailleurs. Avec deux dossiers seulement, rien n’est synchronisé avant son retour.',
  'run.leftOut.unreadable': '{source} est illisible (dossier supprimé ou déplacé, disque non monté ?) : il est laissé de côté et rien n’y est écrit. Avec deux dossiers seulement, rien n’est synchronisé avant son retour.',
  'run.leftOut.silent': '{source} : son membre n’a rien dit de son inventaire pendant une minute (aucune progression) : ce tour se fait sans lui, rien n’est supprimé ni écrit à cause de lui.',
  'run.silentSync': '{member} n’a envoyé ni résultat ni progression pendant 3 minutes : les autres ont continué sans lui, {actions, plural, one {sa # action compte comme non confirmée} other {ses # actions comptent comme non confirmées}}. Le tour suivant regarde à nouveau.',
  'run.back': '{source} est de retour : la prochaine synchronisation le reprend.',
  'run.settingsByLeader': 'Le membre A règle les paramètres de la session ; chaque membre fait son inventaire avec eux.',
};
