// I/O: the service's target groups: their health, read side by side, and (once) their health check settings and
// deregistration delay, which make "health checks failed with codes [404]" actionable and say how long the old
// revision drains.
import { describeTargetGroupAttributes, describeTargetGroups, describeTargetHealth } from "../aws/elb.js";
import { targetGroupName } from "../text/names.js";
import { call, Throttled } from "./calls.js";
import { callOptions, type Io } from "./io.js";
import { targetGroupView } from "./verdict/health.js";
import type { TargetGroupView, TargetHealthView } from "./verdict/model.js";

export class TargetReader {
  health: Record<string, TargetHealthView[]> = {};
  groups: Record<string, TargetGroupView> | undefined;

  constructor(private readonly io: Io) {}

  private get options() {
    return callOptions(this.io);
  }

  async read(arns: string[]): Promise<void> {
    const [groups, ...health] = await Promise.all([
      this.groups ?? this.describeGroups(arns),
      ...arns.map((arn) =>
        call(this.io.counter, "DescribeTargetHealth", () =>
          describeTargetHealth(this.io.clients.elb, arn, this.options),
        ),
      ),
    ]);
    this.groups = groups;
    this.health = Object.fromEntries(arns.map((arn, i) => [arn, health[i] ?? []]));
  }

  /** Optional: without them, messages say less (no path, no matcher, no drain length), nothing more. */
  private async describeGroups(arns: string[]): Promise<Record<string, TargetGroupView>> {
    const [found, attributes] = await Promise.all([
      optional(() =>
        call(this.io.counter, "DescribeTargetGroups", () =>
          describeTargetGroups(this.io.clients.elb, arns, this.options),
        ),
      ),
      Promise.all(
        arns.map((arn) =>
          optional(() =>
            call(this.io.counter, "DescribeTargetGroupAttributes", () =>
              describeTargetGroupAttributes(this.io.clients.elb, arn, this.options),
            ),
          ),
        ),
      ),
    ]);
    const groups: Record<string, TargetGroupView> = {};
    for (const [i, arn] of arns.entries()) {
      const tg = found?.find((g) => g.TargetGroupArn === arn) ?? {
        TargetGroupArn: arn,
        TargetGroupName: targetGroupName(arn),
      };
      groups[arn] = targetGroupView(tg, attributes[i] ?? []);
    }
    return groups;
  }
}

async function optional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof Throttled) throw error;
    return undefined;
  }
}
