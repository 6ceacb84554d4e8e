/** The live log of the run in progress: engine events as lines. Clearing it never touches a stored run record. */

/** Lines kept on screen; older ones are counted (`dropped`), never dropped without a word. */
export const LIVE_LOG_LINES = 1000;

export interface LogLine {
  at: number;
  text: string;
  level: 'info' | 'error';
}

class LiveLog {
  lines = $state.raw<readonly LogLine[]>([]);
  /** Lines that scrolled off (more than LIVE_LOG_LINES) since the last clear. */
  dropped = $state(0);

  add(text: string, level: LogLine['level'] = 'info'): void {
    const next = [...this.lines, { at: Date.now(), text, level }];
    const over = next.length - LIVE_LOG_LINES;
    if (over > 0) this.dropped += over;
    this.lines = over > 0 ? next.slice(over) : next;
  }

  clear(): void {
    this.lines = [];
    this.dropped = 0;
  }
}

export const liveLog = new LiveLog();
