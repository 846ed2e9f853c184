// The rollout wait: watchRollout follows our deployment to a verdict.
export { ABORTED, abortable, abortableSleep } from "./abort.js";
export { isUnsupported } from "./calls.js";
export { type PollEnd, type PollOptions, poll } from "./poll.js";
export { type WatchOptions, type WatchResult, watchRollout } from "./poller.js";
export { MAX_THROTTLE_EXTRA_MS, QUICK_MS } from "./schedule.js";
export type { FailureCause, TimelineEntry, WaitUntil } from "./verdict/model.js";
export type { RolloutStory, TaskStory } from "./verdict/story.js";
