// The rollout wait: watchRollout follows our deployment to a verdict.
export { abortableSleep, MAX_BACKOFF_MS, type WatchOptions, type WatchResult, watchRollout } from "./poller.js";
export type { FailureCause, TimelineEntry } from "./verdict/model.js";
