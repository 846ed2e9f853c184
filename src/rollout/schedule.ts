// When to look next. Regular looks keep to the poll interval's grid from the wait's start; between them, a quick
// look at the service (1 s) where ECS is about to move: right after a change that ECS follows up on, near the end
// of the rollout, and around foreseeable moments (verdict/pace.ts). That brings a verdict within about a second of
// ECS's terminal state without polling every second. A throttled look waits the poll interval and a few seconds
// more, never longer: the SDK and the account's other deploys are already slowing down, and a verdict must not be
// late by more than that.
export const QUICK_MS = 1000;
/** Quick looks in one stretch near the end (about 20 s); a change starts a new stretch. */
export const NEAR_END_LOOKS = 20;
/** Beyond the poll interval, a throttled look waits 1 s, 2 s, 4 s, then 5 s more. */
export const MAX_THROTTLE_EXTRA_MS = 5000;
const EXPECT_BEFORE_MS = 1500;
const EXPECT_AFTER_MS = 3000;

export interface Outlook {
  /** ours moved in a way ECS follows up on (pace.ts burst) */
  changed: boolean;
  /** pace.ts endIsNear */
  nearEnd: boolean;
  /** foreseeable moments, ms since the wait began */
  expected: number[];
  /** nothing but a foreseen moment can end the wait within two polls (pace.ts quietDrain): every other poll will do */
  quiet?: boolean;
}

export class Schedule {
  private readonly quickMs: number;
  private anchor = 0;
  private nearLeft = NEAR_END_LOOKS;
  private throttles = 0;

  constructor(private readonly pollMs: number) {
    this.quickMs = Math.min(QUICK_MS, pollMs);
  }

  /** The next regular look after `at`: on the poll interval's grid. */
  private regular(at: number): number {
    const steps = Math.floor((at - this.anchor) / this.pollMs) + 1;
    return this.anchor + steps * this.pollMs;
  }

  /** How long until the next regular look. */
  regularWait(at: number): number {
    return this.regular(at) - at;
  }

  /** How long to sleep after an answered look at `at`. */
  next(at: number, outlook: Outlook): number {
    this.throttles = 0;
    let soonest = this.regular(outlook.quiet ? at + this.pollMs : at);
    if (this.quickMs >= this.pollMs) return soonest - at;
    const quick = at + this.quickMs;
    if (outlook.changed) {
      soonest = Math.min(soonest, quick);
      this.nearLeft = NEAR_END_LOOKS;
    }
    if (!outlook.nearEnd) this.nearLeft = NEAR_END_LOOKS;
    else if (this.nearLeft > 0) {
      this.nearLeft--;
      soonest = Math.min(soonest, quick);
    }
    for (const moment of outlook.expected) {
      if (quick > moment + EXPECT_AFTER_MS) continue;
      soonest = Math.min(soonest, Math.max(quick, moment - EXPECT_BEFORE_MS));
    }
    return soonest - at;
  }

  /** How long to sleep after a throttled look at `at`; the grid restarts from there. */
  backoff(at: number): number {
    this.throttles++;
    const extra = Math.min(1000 * 2 ** (this.throttles - 1), MAX_THROTTLE_EXTRA_MS);
    const wait = this.pollMs + extra;
    this.anchor = at + wait;
    return wait;
  }
}
