// The task sizes Fargate accepts. ECS only rejects a bad pair when the task definition is registered, after the
// image is built and pushed, so we check it while reading the config.
// Source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size

/** Task-level cpu (CPU units, 1024 = 1 vCPU) → the memory sizes (MiB) Fargate accepts with it. */
const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, steps(1024, 4096, 1024)],
  [1024, steps(2048, 8192, 1024)],
  [2048, steps(4096, 16384, 1024)],
  [4096, steps(8192, 30720, 1024)],
  [8192, steps(16384, 61440, 4096)],
  [16384, steps(32768, 122880, 8192)],
]);

/** The task-level `cpu` values Fargate accepts. */
export function fargateCpuChoices(): number[] {
  return [...FARGATE_SIZES.keys()];
}

/** The task-level `memory` values Fargate accepts with this `cpu`; empty when the cpu itself is not valid. */
export function fargateMemoryChoices(cpu: number): number[] {
  return [...(FARGATE_SIZES.get(cpu) ?? [])];
}

/** Why this cpu/memory pair is not a Fargate task size, or undefined when it is one. */
export function checkFargateSize(cpu: number, memory: number): string | undefined {
  const memories = fargateMemoryChoices(cpu);
  if (memories.length === 0) {
    return `cpu = ${cpu} is not a Fargate task size; use one of ${listChoices(fargateCpuChoices())}`;
  }
  if (memories.includes(memory)) return undefined;
  return `memory = ${memory} is not valid with cpu = ${cpu} on Fargate; use ${describeChoices(memories)}`;
}

function steps(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

/** A long regular run reads better as a range than as 23 numbers. */
function describeChoices(values: number[]): string {
  const [first, second] = values;
  const last = values.at(-1);
  if (first === undefined || second === undefined || last === undefined) return `one of ${listChoices(values)}`;
  const step = second - first;
  const regular = values.every((value, i) => value === first + i * step);
  return regular && values.length > 3 ? `${first} to ${last} in steps of ${step}` : `one of ${listChoices(values)}`;
}

function listChoices(values: number[]): string {
  const head = values.slice(0, -1).join(", ");
  const last = values.at(-1);
  return head ? `${head} or ${last}` : String(last);
}
