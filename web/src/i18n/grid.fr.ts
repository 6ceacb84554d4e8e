/** Texte français de la grille de comparaison, de la barre de progression et de la liste par dossier de la confirmation. */
import type { gridEn } from './grid.en.ts';

export const gridFr: Record<keyof typeof gridEn, string> = {
  'grid.onlyOn': 'Seulement sur {sources}',
  'grid.missingOn': 'Absent de {sources}',
  'grid.copy': '{from} → {to}',
  'grid.conflict': 'conflit',
  'grid.group': 'Contenu {letter}',
  'grid.groupHint': 'Même lettre sur une ligne : même contenu.',
  'grid.modified': 'modifié le {date}',
  'sync.progress.label': 'Progression de la synchronisation',
  'sync.progress.items': 'Actions faites',
  'sync.progress.bytes': 'Octets écrits',
  'progress.sync': '{done} sur {total, plural, one {# action} other {# actions}} · {bytes} sur {totalBytes} · {rate}',
  'progress.left': 'temps restant : environ {left}',
  'progress.estimating': 'estimation du temps restant…',
  'progress.inventory': '{source} : {files, plural, one {# fichier} other {# fichiers}}, {bytes} · {hashed} hachés · {rate}',
  'progress.inventoryDone': '{source} : terminé, {files, plural, one {# fichier} other {# fichiers}}, {bytes}',
  'progress.hashing': '{source} : {found, plural, one {# fichier} other {# fichiers}}, {size} · hachage : {files} sur {filesTotal}, {bytes} sur {bytesTotal} · {rate}',
  'progress.current': 'En cours : {path}',
  'confirm.folders': 'Dossiers qui vont changer',
  'confirm.folder': '{target} ({name})',
  'confirm.counts': '{copies, plural, one {# fichier à copier} other {# fichiers à copier}} ({bytes}), dont {overwrites} en remplacement · {directories, plural, one {# nouveau dossier} other {# nouveaux dossiers}} · {deletions, plural, one {# suppression} other {# suppressions}}',
  'confirm.deletions': 'À supprimer sur {target} :',
  'confirm.more': 'et {count} de plus',
};
