/** English text of what a run skips and what a page cannot see (issue 9, findings 11–13). */
export const skippedEn = {
  'sync.finishedWithSkipped': 'Synchronization finished with {skipped} skipped',
  'sync.finishedWithErrorsAndSkipped': 'Synchronization finished with {count} errors and {skipped} skipped',
  'sync.skipped.title': '{count} items skipped',
  'skip.status': 'Skipped: {reason}',
  'skip.unreadable': 'unreadable on {source}',
  'skip.name-refused': 'a name the target cannot hold ({problem})',
  'skip.permission': 'no permission to write on {source}',
  'refusal.permission': 'Write permission on {source} was refused: skipped.',
  'permission.refused': 'Chrome did not give Quintet permission to write to {sources}: nothing was written there, and its items are listed as skipped.',
  'permission.howTo': 'To grant it, click “Start synchronization” again and choose “Allow” (“Edit files”) when Chrome asks. If Chrome no longer asks, click the icon at the left of the address bar, open the site settings and allow editing files, or remove the folder and add it again.',
  'visibility.label': 'Not visible to the browser',
  'visibility.text': 'A web page cannot see links (to files or folders, and dangling ones), special files (pipes, devices: seen as empty files) or names Chrome refuses (such as a:b.txt, back\\slash.txt, or a name ending with a dot). They are neither synchronized nor counted.',
  'visibility.wayOut': 'The way out: the headless “quintet” command-line member sees them and reports them. It is coming in the next version and does not exist yet; until then, keep such items out of the folders you synchronize, or copy them by other means.',
  'help.title': 'Help: what Quintet cannot see in a folder',
} as const;
