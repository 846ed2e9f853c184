import { describe, expect, it } from "vitest";
import { renderTimeline } from "../../src/report/timeline.js";
import { clock } from "../../src/text/names.js";

describe("renderTimeline", () => {
  it("renders a markdown table, minutes:seconds since the start, pipes escaped", () => {
    const table = renderTimeline([
      { at: 0, text: "deployment ecs-svc/1 (revision 42): PRIMARY IN_PROGRESS" },
      { at: 65_400, text: "a | b" },
    ]);
    expect(table).toBe(
      [
        "| time | what happened |",
        "| ---: | --- |",
        "| 0:00 | deployment ecs-svc/1 (revision 42): PRIMARY IN_PROGRESS |",
        "| 1:05 | a \\| b |",
      ].join("\n"),
    );
  });

  it("is empty for an empty timeline", () => {
    expect(renderTimeline([])).toBe("");
  });

  it("formats long waits", () => {
    expect(clock(3_600_000)).toBe("60:00");
  });
});
