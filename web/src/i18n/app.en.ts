/** English text of the app shell: theme switch, offline notice, update prompt, browsers without folder access. */
export const appEn = {
  'app.theme': 'Theme',
  'app.theme.system': 'System',
  'app.theme.light': 'Light',
  'app.theme.dark': 'Dark',
  'pwa.offline': 'You are offline. Quintet still opens and local synchronization works; cloud sessions need the network to reach the other members.',
  'pwa.updateReady': 'A new version is ready.',
  'pwa.reload': 'Reload',
  'pwa.later': 'Later',
  'unsupported.title': 'This browser cannot open your folders',
  'unsupported.why': 'Quintet reads and writes folders through the File System Access API, which Chrome, Edge and Opera have on a computer. This browser does not, so it cannot synchronize here: neither locally nor in a cloud session.',
  'unsupported.works': 'What works here: reading how Quintet works, below.',
  'unsupported.next': 'To synchronize, open this page in Chrome or Edge on a computer. An invite link works there too: copy the whole address, with its #join part.',
} as const;
