// The real @actions/core reads INPUT_* variables, as on the runner (names keep their hyphens).
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { actionDefaults } from "../scripts/lib/run-action.mjs";
import { InputError } from "../src/errors.js";
import { ACTION_INPUTS, getInputs } from "../src/inputs.js";

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

describe("wait-until", () => {
  it("is completed by default, live when asked, and nothing else", () => {
    setInputs({ config: "deploy/app.toml", images: "app:r254" });
    expect(getInputs().waitUntil).toBe("completed");
    setInputs({ config: "deploy/app.toml", images: "app:r254", "wait-until": "Live" });
    expect(getInputs().waitUntil).toBe("live");
    setInputs({ config: "deploy/app.toml", images: "app:r254", "wait-until": "stable" });
    expect(() => getInputs()).toThrow(InputError);
  });
});

describe("the inputs table", () => {
  const actionYml = parse(readFileSync(new URL("../action.yml", import.meta.url), "utf8")) as {
    inputs: Record<string, { required?: boolean; default?: string }>;
  };

  it("is action.yml's: the same inputs, required ones and defaults", () => {
    const fromYaml = Object.fromEntries(
      Object.entries(actionYml.inputs).map(([name, spec]) => [
        name,
        spec.default === undefined ? { required: true } : { default: spec.default },
      ]),
    );
    expect(ACTION_INPUTS).toEqual(fromYaml);
  });

  it("reads an empty value as the default, as a workflow forwarding an unset input sends it", () => {
    setInputs({ config: "deploy/app.toml", images: "app:r254" });
    const defaults = getInputs();
    const empty = Object.fromEntries(Object.keys(ACTION_INPUTS).map((name) => [name, ""]));
    setInputs({ ...empty, config: "deploy/app.toml", images: "app:r254" });
    expect(process.env["INPUT_WAIT-TIMEOUT"]).toBe("");
    expect(getInputs()).toEqual(defaults);
  });
});
