/** Texte français du Local Session mémorisé (issue 14) et de la ligne de résultat qui ne nomme les versions que s’il y en a. */
import type { rememberedEn } from './remembered.en.ts';

export const rememberedFr: Record<keyof typeof rememberedEn, string> = {
  'remembered.title': 'Dossiers de votre dernière visite',
  'remembered.waiting': 'Le navigateur demande à nouveau avant que Quintet puisse les lire.',
  'remembered.restore': 'Rétablir l’accès',
  'remembered.forget': 'Oublier ces dossiers',
  'remembered.gone': '{name} : introuvable (déplacé, renommé ou supprimé)',
  'remembered.remove': 'Retirer',
  'remembered.removeNamed': 'Retirer {name}',
  'remembered.back': 'Les dossiers de votre dernière visite sont revenus.',
  'remembered.refused': 'Pas d’accès à {names} : cliquez à nouveau sur Rétablir l’accès, ou oubliez-les.',
  'sync.result.plain': '{done, plural, one {# action effectuée} other {# actions effectuées}}, {bytes} écrits en {duration}.',
  'sync.result.versions': 'Les éléments remplacés et supprimés sont dans .quintet/versions/{run} de {targets}.',
};
