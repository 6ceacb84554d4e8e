/** English text of the remembered Local Session (issue 14) and of a run's result line that names versions only when kept. */
export const rememberedEn = {
  'remembered.title': 'Folders from your last visit',
  'remembered.waiting': 'The browser asks again before Quintet may read them.',
  'remembered.restore': 'Restore access',
  'remembered.forget': 'Forget these folders',
  'remembered.gone': '{name}: no longer found (moved, renamed or deleted)',
  'remembered.remove': 'Remove',
  'remembered.removeNamed': 'Remove {name}',
  'remembered.back': 'The folders of your last visit are back.',
  'remembered.refused': 'No access to {names}: click Restore access again, or forget them.',
  'sync.result.plain': '{done, plural, one {# action} other {# actions}} done, {bytes} written in {duration}.',
  'sync.result.versions': 'Replaced and deleted items are in .quintet/versions/{run} of {targets}.',
};
