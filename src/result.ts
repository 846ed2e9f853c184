// The run's result: what the `result` output says and the job summary's heading shows. The steps report what
// happened; main.ts alone turns that into one of these, once per run.

export type Result =
  | "succeeded"
  | "started"
  | "registered"
  | "unchanged"
  | "scaled"
  | "dry-run"
  | "failed"
  | "timed-out"
  | "cancelled"
  | "paused"
  | "not-started";

/** The results a failed step can end the run with; any other failure is `failed` (or `cancelled` on a cancel). */
export type FailedResult = Extract<Result, "failed" | "timed-out" | "cancelled" | "registered">;
