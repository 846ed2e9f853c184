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

/** The problems getInputs reports for these inputs (over a config and the given images), none when it passes. */
function problemsWith(images: string): (values: Record<string, string>) => string[] {
  return (values) => {
    setInputs({ config: "deploy/app.toml", images, ...values });
    try {
      getInputs();
      return [];
    } catch (error) {
      return (error as InputError).problems.map((p) => p.message);
    }
  };
}

describe("guards that finish the job", () => {
  const problems = problemsWith("app:r254");

  it.each([
    ["0x10", 'input `wait-timeout`: expected a decimal number from 0.05 to 1440, like 10 or 2.5, got "0x10"'],
    ["1e1", 'input `wait-timeout`: expected a decimal number from 0.05 to 1440, like 10 or 2.5, got "1e1"'],
    ["0b11", 'input `wait-timeout`: expected a decimal number from 0.05 to 1440, like 10 or 2.5, got "0b11"'],
    ["nan", 'input `wait-timeout`: expected a number from 0.05 to 1440, got "nan"'],
    ["inf", 'input `wait-timeout`: expected a number from 0.05 to 1440, got "inf"'],
    ["Infinity", 'input `wait-timeout`: expected a number from 0.05 to 1440, got "Infinity"'],
    ["10\n::error::x", 'input `wait-timeout`: expected a number from 0.05 to 1440, got "10\\n::error::x"'],
  ])("minutes are decimal numbers: wait-timeout %j is refused", (value, message) => {
    expect(problems({ "wait-timeout": value })).toEqual([message]);
  });

  it("takes decimal minutes as they are written", () => {
    setInputs({ config: "deploy/app.toml", images: "app:r254", "wait-timeout": " 2.5 ", "poll-interval": "10" });
    expect(getInputs()).toMatchObject({ waitTimeoutMs: 150_000, pollIntervalMs: 10_000 });
  });

  it("answering a pause, the answer must be said: continue or rollback, never empty", () => {
    const arn = "arn:aws:ecs:us-east-1:123456789012:service-deployment/guide/web/abc123";
    expect(problems({ continue: arn, answer: "" })).toEqual([
      'input `answer`: expected one of continue, rollback, got ""',
    ]);
    expect(problems({ continue: arn, answer: "yes" })).toEqual([
      'input `answer`: expected one of continue, rollback, got "yes"',
    ]);
    setInputs({ config: "deploy/app.toml", images: "", continue: arn, answer: "rollback" });
    expect(getInputs().answer).toBe("rollback");
    // Not answering anything, an empty answer (a workflow forwarding a blank input) is the unused default.
    expect(problems({ answer: "" })).toEqual([]);
  });
});

describe("task-definition: a revision that exists, instead of images", () => {
  const problems = problemsWith("");
  const arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:41";

  it.each(["web:2", " web:2 ", arn])("takes %j, and images may then be left out", (value) => {
    setInputs({ config: "deploy/app.toml", images: "", "task-definition": value });
    expect(getInputs()).toMatchObject({ taskDefinition: value.trim(), images: "" });
  });

  it("is unset by default, and then images is required, saying what else would do", () => {
    setInputs({ config: "deploy/app.toml", images: "app:r254" });
    expect(getInputs().taskDefinition).toBeUndefined();
    expect(problems({})).toEqual([
      "input `images`: is required, unless `task-definition` names an existing revision to deploy",
    ]);
  });

  it("refuses images beside it, naming both inputs", () => {
    expect(problems({ images: "app:r254", "task-definition": "web:2" })).toEqual([
      "input `images`: and input `task-definition` are both given: `task-definition` deploys an existing revision with its own images; give `images` to render a new revision, or `task-definition`, not both",
    ]);
  });

  it.each([
    "web",
    "web:latest",
    "web:0",
    "web:2\n::error::x",
    "arn:aws:ecs:us-east-1:1:task-definition/web:2",
    "a b:1",
  ])("needs a revision exactly: %j is refused", (value) => {
    expect(problems({ "task-definition": value })).toEqual([
      `input \`task-definition\`: expected a revision as family:revision (web:2) or its ARN, got ${JSON.stringify(value)}`,
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
