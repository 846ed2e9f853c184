import { describe, expect, test } from "vitest";
import { checkFargateSize, fargateCpuChoices, fargateMemoryChoices } from "../../src/config/fargate.js";

describe("fargateMemoryChoices", () => {
  test("lists the cpus Fargate has", () => {
    expect(fargateCpuChoices()).toEqual([256, 512, 1024, 2048, 4096, 8192, 16384]);
  });

  test.each([
    [256, [512, 1024, 2048]],
    [512, [1024, 2048, 3072, 4096]],
    [1024, [2048, 3072, 4096, 5120, 6144, 7168, 8192]],
  ])("cpu %i allows %j", (cpu, memories) => {
    expect(fargateMemoryChoices(cpu)).toEqual(memories);
  });

  test.each([
    [2048, 4096, 16384, 1024],
    [4096, 8192, 30720, 1024],
    [8192, 16384, 61440, 4096],
    [16384, 32768, 122880, 8192],
  ])("cpu %i allows %i to %i in steps of %i", (cpu, from, to, step) => {
    const memories = fargateMemoryChoices(cpu);
    expect(memories[0]).toBe(from);
    expect(memories.at(-1)).toBe(to);
    expect(memories.length).toBe((to - from) / step + 1);
    expect(memories.every((memory, i) => memory === from + i * step)).toBe(true);
  });

  test("an unknown cpu allows nothing", () => {
    expect(fargateMemoryChoices(300)).toEqual([]);
  });

  test("returns a copy the caller may change", () => {
    fargateMemoryChoices(256).push(1);
    expect(fargateMemoryChoices(256)).toEqual([512, 1024, 2048]);
  });
});

describe("checkFargateSize", () => {
  test("accepts every pair in the table", () => {
    const pairs = fargateCpuChoices().flatMap((cpu) =>
      fargateMemoryChoices(cpu).map((memory) => [cpu, memory] as const),
    );
    expect(pairs).toHaveLength(3 + 4 + 7 + 13 + 23 + 12 + 12);
    expect(pairs.map(([cpu, memory]) => checkFargateSize(cpu, memory)).filter(Boolean)).toEqual([]);
  });

  test("lists the memories of a short irregular row", () => {
    expect(checkFargateSize(256, 4096)).toBe(
      "memory = 4096 is not valid with cpu = 256 on Fargate; use one of 512, 1024 or 2048",
    );
  });

  test("gives a long regular row as a range", () => {
    expect(checkFargateSize(4096, 4096)).toBe(
      "memory = 4096 is not valid with cpu = 4096 on Fargate; use 8192 to 30720 in steps of 1024",
    );
    expect(checkFargateSize(8192, 20000)).toBe(
      "memory = 20000 is not valid with cpu = 8192 on Fargate; use 16384 to 61440 in steps of 4096",
    );
  });

  test("lists the cpus for an unknown cpu", () => {
    expect(checkFargateSize(3000, 8192)).toBe(
      "cpu = 3000 is not a Fargate task size; use one of 256, 512, 1024, 2048, 4096, 8192 or 16384",
    );
  });
});
