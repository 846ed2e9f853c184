import { describe, expect, it } from "vitest";
import { renderTimeline } from "../../src/report/timeline.js";
import { clock } from "../../src/text/names.js";

describe("renderTimeline", () => {
  it("one line per entry, minutes:seconds since the start, ARNs cut to names (a code block holds it)", () => {
    const lines = renderTimeline([
      { at: 0, text: "deployment ecs-svc/1 (revision 42): PRIMARY IN_PROGRESS" },
      {
        at: 65_400,
        text: "(service app) registered 2 targets in (target-group arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg-app/6d0ecf831eec9f09) | x",
      },
    ]);
    expect(lines).toEqual([
      " 0:00  deployment ecs-svc/1 (revision 42): PRIMARY IN_PROGRESS",
      " 1:05  (service app) registered 2 targets in (target-group tg-app) | x",
    ]);
  });

  it("is empty for an empty timeline", () => {
    expect(renderTimeline([])).toEqual([]);
  });

  it("formats long waits", () => {
    expect(clock(3_600_000)).toBe("60:00");
  });
});
