// The rollout wait: watchRollout follows our deployment to a verdict; renderTimeline shows how it got there.
export type { FailureCause, TimelineEntry } from "./model.js";
export { abortableSleep, MAX_BACKOFF_MS, type WatchOptions, type WatchResult, watchRollout } from "./poller.js";
export { renderTimeline } from "./timeline.js";
