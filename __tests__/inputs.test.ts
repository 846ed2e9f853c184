// The real @actions/core reads INPUT_* variables, as on the runner (names keep their hyphens).
import { afterEach, describe, expect, it } from "vitest";
import { actionDefaults } from "../scripts/lib/run-action.mjs";
import { InputError } from "../src/errors.js";
import { getInputs } from "../src/inputs.js";

function setInputs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...values })) {
    process.env[`INPUT_${name.toUpperCase()}`] = value;
  }
}

afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith("INPUT_")) delete process.env[key];
});

describe("getInputs", () => {
  it("reads the action.yml defaults into a typed object", () => {
    setInputs({ config: "deploy/app.toml", images: "app:r254" });
    expect(getInputs()).toMatchObject({
      config: "deploy/app.toml",
      images: "app:r254",
      wait: true,
      waitTimeoutMs: 30 * 60_000,
      pollIntervalMs: 5000,
      maxFailedTasks: 3,
      onFailure: "rollback",
      forceNewDeployment: false,
    });
  });

  it("reports every bad input at once, each by name", () => {
    setInputs({ config: "", images: "app:1", wait: "maybe", "wait-timeout": "-1", "on-failure": "panic" });
    const error = (() => {
      try {
        getInputs();
      } catch (e) {
        return e;
      }
    })() as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.problems.map((p) => p.message)).toEqual([
      "input `config`: is required",
      'input `wait`: expected true or false, got "maybe"',
      'input `wait-timeout`: expected a number from 0.05 to 1440, got "-1"',
      'input `on-failure`: expected one of rollback, leave, got "panic"',
    ]);
  });
});
