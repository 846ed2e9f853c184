// Fixtures of a run's outcomes (src/report/outcomes.ts) for the renderers of the job summary and the record: the
// config read, the plan that passed the pre-flight, what the steps returned, and how the run ended.
import type { Decision } from "../../src/plan/service/decision.js";
import type { Ending, Outcomes, Planned, Watched } from "../../src/report/outcomes.js";
import type { Result } from "../../src/result.js";

export const TD = (revision: number, family = "app") => `arn:aws:ecs:us-east-1:1:task-definition/${family}:${revision}`;

/** A run of `deploy/app-prod.toml` (service `app`) whose config was read; `change` adds what the steps returned. */
export function outcomes(change: Partial<Outcomes> = {}): Outcomes {
  return {
    configPath: "deploy/app-prod.toml",
    read: { config: { service: "app", cluster: "prod", region: "us-east-1" }, images: new Map() },
    steps: [],
    ...change,
  };
}

export function ending(result: Result, change: Partial<Ending> = {}): Ending {
  return { result, details: [], durationMs: 95_000, ...change };
}

interface PlanFixture {
  /** container → [the image as given, its digest] */
  images?: [container: string, uri: string, digest?: string][];
  secrets?: string[];
  /** the revision the service runs, and its image */
  previous?: { arn: string; image: string } | undefined;
  /** the image of the task definition this deploy registers */
  image?: string;
  decision?: Decision;
  existing?: Planned["deployable"]["existing"];
  /** the container definitions of the task definition deployed (an existing revision's, with its secrets) */
  containers?: NonNullable<Planned["deployable"]["taskDefinition"]["containerDefinitions"]>;
}

/** The plan of a deploy of `app` over `previous` (app:41 on app:r253 by default) to `image` (app:r254). */
export function planned(fixture: PlanFixture = {}): Planned {
  const previous = "previous" in fixture ? fixture.previous : { arn: TD(41), image: "app:r253" };
  const containers = fixture.containers ?? [{ name: "app", image: fixture.image ?? "app:r254" }];
  return {
    deployable: {
      images: {
        resolved: (fixture.images ?? []).map(([container, uri, digest]) => ({
          container,
          uri,
          pinned: uri,
          ...(digest ? { digest } : {}),
        })),
      },
      secrets: (fixture.secrets ?? []).map((name) => ({ name })),
      current: previous && {
        taskDefinitionArn: previous.arn,
        family: "app",
        containerDefinitions: [{ name: "app", image: previous.image }],
      },
      taskDefinition: { family: "app", containerDefinitions: containers },
      existing: fixture.existing,
      target: { taskDefinition: previous?.arn },
    },
    decision: fixture.decision ?? { deployBecause: "the task definition changed" },
  };
}

/** One watched deployment of `arn`: deployment started at 0, the verdict line at 0:35. */
export function watched(outcome: Watched["result"]["outcome"], text: string, arn = TD(42)): Watched {
  return {
    taskDefinitionArn: arn,
    result: {
      timeline: [
        { at: 0, text: "deployment ecs-svc/1 (revision 42): PRIMARY IN_PROGRESS" },
        { at: 35_000, text },
      ],
      story: { tasks: [{ id: "3f2a9c10…", revision: "revision 42", createdAt: 1000, runningAt: 20_000 }] },
      startedAt: Date.UTC(2026, 10, 20, 10),
      outcome,
    },
  };
}
