/**
 * Calendar days in the spreadsheet's time zone, without a time-zone database: the platform formats one instant
 * (`wallClock`, e.g. Utilities.formatDate) and the offset it reveals is reused for every instant of the same
 * 30-day window whose offset at both ends agrees. Cost: about two platform calls per month spanned, not per cell.
 */

const DAY_MS = 86_400_000;
const WINDOW_MS = 30 * DAY_MS;
const MAX_DAYS_KEPT = 20_000;

/** `wallClock(ms)` returns the local wall-clock time of an instant as 'YYYY-MM-DDTHH:mm:ss'. */
export type WallClock = (instantMs: number) => string;

function wallToUtcMs(wall: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(wall);
  if (!m) throw new Error(`unexpected wall-clock text ${wall}`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export class TimeZoneDays {
  private readonly windows = new Map<number, number | null>();
  private readonly exact = new Map<number, number>();
  private readonly days = new Map<number, string>();

  constructor(private readonly wallClock: WallClock) {}

  /** Offset (local - UTC, ms) in force at an instant. */
  offsetAt(ms: number): number {
    const window = Math.floor(ms / WINDOW_MS);
    let offset = this.windows.get(window);
    if (offset === undefined) {
      const start = window * WINDOW_MS;
      const a = this.measure(start);
      const b = this.measure(start + WINDOW_MS - 1000);
      offset = a === b ? a : null; // a transition inside the window: measure per hour there
      this.windows.set(window, offset);
    }
    if (offset !== null) return offset;
    const hour = Math.floor(ms / 3_600_000) * 3_600_000;
    let exact = this.exact.get(hour);
    if (exact === undefined) {
      exact = this.measure(hour);
      this.exact.set(hour, exact);
    }
    return exact;
  }

  /** The local calendar day ('YYYY-MM-DD') of an instant. */
  dayOf(ms: number): string {
    const local = ms + this.offsetAt(ms);
    // A pull asks for the day of every date cell: the texts of the days met are kept (a few thousand at most).
    const day = Math.floor(local / DAY_MS);
    let text = this.days.get(day);
    if (text === undefined) {
      text = utcDay(local);
      if (this.days.size >= MAX_DAYS_KEPT) this.days.clear();
      this.days.set(day, text);
    }
    return text;
  }

  /** The instant of local midnight starting a day. */
  midnightOf(day: string): number {
    const utcMidnight = Date.parse(`${day}T00:00:00Z`);
    const guess = utcMidnight - this.offsetAt(utcMidnight);
    return utcMidnight - this.offsetAt(guess);
  }

  private measure(ms: number): number {
    return wallToUtcMs(this.wallClock(ms)) - Math.floor(ms / 1000) * 1000;
  }
}

export { DAY_MS };
