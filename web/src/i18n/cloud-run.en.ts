/** English text of cloud runs: inventories, plan, transfer, results (issue 6). */
export const cloudRunEn = {
  'run.title': 'Synchronization',
  'run.startInventory': 'Start inventory',
  'run.inventoryAgain': 'Start inventory again',
  'run.waitLeader': 'Member A starts the inventory.',
  'run.waitOthers': 'Waiting for the other members’ inventories…',
  'run.stage.inventory': '{letter}: inventory — {files, plural, one {# file} other {# files}}, {bytes}',
  'run.stage.sync': '{letter}: {files}/{filesTotal, plural, one {# action} other {# actions}}, {bytes} of {bytesTotal}, {rate}',
  'run.stage.done': '{letter}: done',
  'run.overall': 'Overall: {files}/{filesTotal, plural, one {# action} other {# actions}}, {bytes} of {bytesTotal}, {rate}, about {left} left',
  'run.member.result': '{letter}: {done} done, {failed} failed, {skipped} skipped',
  'run.failure': '{path}: {reason}',
  'run.error.plan-mismatch': 'refused: the plan does not match this member’s comparison',
  'run.error.member-left': 'the member holding the content left',
  'run.problem': 'Refused: {reason}',
  'run.leaderPlans': 'Member A chooses the actions.',
  'run.settingsByLeader': 'Member A sets the session settings; every member inventories with them.',
} as const;
