// What a scenario fixture says AWS held at one moment, as plain SDK shapes: for tests that drive the wait step
// in real time (it has no injectable clock) from a fixed state.
import type { Service, Task } from "@aws-sdk/client-ecs";
import { stateAt } from "./aws.js";
import { loadScenario, type Scenario } from "./scenario.js";

export { loadScenario };

export function stateOf(scenario: Scenario, at: number): { service: Service; tasks: Task[] } {
  const state = stateAt(scenario, at);
  const [service] = state.describeServices.services ?? [];
  return { service: service ?? {}, tasks: state.describeTasks.tasks };
}
