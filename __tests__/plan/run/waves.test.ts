import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { orderOf, waves } from "../../../src/plan/run/waves.js";

describe("waves", () => {
  it("runs lower deploy_order first, the same number side by side, a config without one in wave 1", () => {
    const services = [
      { name: "web", deploy_order: 2 },
      { name: "api", deploy_order: 1 },
      { name: "worker", deploy_order: 2 },
      { name: "cron" },
      { name: "report", deploy_order: 10 },
    ];
    expect(waves(services).map((wave) => wave.map((s) => s.name))).toEqual([
      ["api", "cron"],
      ["web", "worker"],
      ["report"],
    ]);
  });

  it("keeps the given order within a wave, and one wave for an app that sets no order", () => {
    const unordered: { name: string; deploy_order?: number }[] = [{ name: "b" }, { name: "a" }];
    expect(waves(unordered).map((w) => w.map((s) => s.name))).toEqual([["b", "a"]]);
    expect(waves([])).toEqual([]);
  });

  it("holds every service once, in waves of one order each, ascending", () => {
    const order = fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined });
    fc.assert(
      fc.property(fc.array(fc.record({ deploy_order: order }), { maxLength: 20 }), (services) => {
        const result = waves(services);
        expect(result.flat()).toHaveLength(services.length);
        const orders = result.map((wave) => new Set(wave.map(orderOf)));
        for (const set of orders) expect(set.size).toBe(1);
        const firsts = result.map((wave) => orderOf(wave[0] ?? {}));
        expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
      }),
    );
  });
});
