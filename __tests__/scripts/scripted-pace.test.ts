// The scripted rollouts' clock (scripts/lib/scripted-ecs.mjs scriptPace): one scale, or a script played fast, then at
// ECS's own pace, then fast again, as the bench's bake does.
import { describe, expect, it } from "vitest";
import { scriptPace } from "../../scripts/lib/scripted-ecs.mjs";

describe("scriptPace", () => {
  it("one scale: 0.1 plays ten script seconds each real second", () => {
    const pace = scriptPace({ scale: 0.1 });
    expect(pace.seconds(1000)).toBeCloseTo(10);
    expect(pace.ms(10)).toBeCloseTo(1000);
  });

  it("segments: fast to 115 s, ECS's pace for 150 s, then 30 times faster; real and script time map both ways", () => {
    const pace = scriptPace({
      segments: [
        [0, 0.1],
        [115, 1],
        [265, 1 / 30],
      ],
    });
    expect(pace.ms(115)).toBeCloseTo(11_500);
    expect(pace.ms(265)).toBeCloseTo(161_500);
    expect(pace.ms(735)).toBeCloseTo(161_500 + (470 * 1000) / 30);
    for (const t of [0, 50, 115, 200, 265, 500, 735]) expect(pace.seconds(pace.ms(t))).toBeCloseTo(t);
  });
});
