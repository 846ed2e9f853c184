// Property: whatever TOML documents and values are fed to the loader (and whatever they extend), it returns a config
// or throws a ConfigError whose every problem has a file, line and column; it never throws anything else, never
// reads outside what it is given, and never makes a network call.
import fc from "fast-check";
import { stringify } from "smol-toml";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfigFiles } from "../../src/config/index.js";
import { configInputSchema } from "../../src/config/schema.js";
import { ConfigError } from "../../src/errors.js";
import { guideToml } from "../support/config.js";

const KNOWN = Object.keys(configInputSchema.shape);
const TABLE_KEYS = ["health_check", "deployment", "network", "runtime_platform", "environment", "tags", "secrets"];
const key = fc.oneof(
  fc.constantFrom(...KNOWN, "number", "command", "interval", "subnets", "circuit_breaker", "enable", "rollback"),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom("__proto__", "constructor", "toString", "a.b", "\u202Eevil", "prot"),
);
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(
    0,
    1,
    80,
    256,
    512,
    2.0,
    1e10,
    -1,
    65536,
    "subnet-0a1b2c3d",
    "sg-0a1b2c3d",
    "START",
    "HEALTHY",
    "\u0000",
  ),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("value"), { maxLength: 4 }), tie("table")),
  table: fc.dictionary(key, tie("value"), { maxKeys: 5 }),
})).value;
const document = fc.dictionary(fc.oneof(key, fc.constantFrom(...TABLE_KEYS)), value, { maxKeys: 12 });
const extendsValue = fc.oneof(
  fc.constantFrom("b.toml", "c.toml", "a.toml", "../out.toml", "/etc/passwd", "missing.toml", "sub/../b.toml"),
  fc.array(fc.constantFrom("b.toml", "c.toml", "a.toml", "missing.toml"), { maxLength: 3 }),
  scalar,
);

/** A document as TOML text; smol-toml cannot write some values (NaN keys, nulls): then raw text stands in. */
function toToml(data: Record<string, unknown>, base?: unknown): string {
  try {
    return stringify(base === undefined ? data : { extends: base, ...data });
  } catch {
    return `${guideToml}\n${JSON.stringify(data)}`;
  }
}

function expectLocatedConfigErrorOrConfig(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    for (const problem of (error as ConfigError).problems) {
      expect(problem.message).toBeTypeOf("string");
      expect(problem.location, problem.message).toBeDefined();
      expect(problem.location?.line).toBeGreaterThanOrEqual(1);
      expect(problem.location?.column).toBeGreaterThanOrEqual(1);
      expect(["a.toml", "b.toml", "c.toml"]).toContain(problem.location?.file);
    }
  }
}

describe("the loader, fed generated documents", () => {
  const fetch = vi.spyOn(globalThis, "fetch");
  afterEach(() => expect(fetch).not.toHaveBeenCalled());

  it("structured documents, each possibly extending others (cycles, escapes and missing files included)", () => {
    fc.assert(
      fc.property(document, document, document, fc.option(extendsValue), fc.option(extendsValue), (a, b, c, ea, eb) => {
        const files: Record<string, string> = {
          "a.toml": toToml(a, ea ?? undefined),
          "b.toml": toToml(b, eb ?? undefined),
          "c.toml": toToml(c),
        };
        const read = (path: string) => {
          // Own keys only: `extends = "toString"` must read as a missing file, not as Object.prototype's function.
          const text = Object.hasOwn(files, path) ? files[path] : undefined;
          if (text === undefined) throw new ConfigError("missing", [{ message: `config file ${path} not found` }]);
          return text;
        };
        expectLocatedConfigErrorOrConfig(() => loadConfigFiles("a.toml", read));
      }),
      { numRuns: 400 },
    );
  });

  it("the guide's file with a generated line added anywhere", () => {
    const lines = guideToml.split("\n");
    fc.assert(
      fc.property(fc.nat(lines.length), fc.string({ maxLength: 60 }), (at, line) => {
        const text = [...lines.slice(0, at), line, ...lines.slice(at)].join("\n");
        expectLocatedConfigErrorOrConfig(() => loadConfigFiles("a.toml", () => text));
      }),
      { numRuns: 400 },
    );
  });

  it("arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        expectLocatedConfigErrorOrConfig(() => loadConfigFiles("a.toml", () => text));
      }),
      { numRuns: 400 },
    );
  });
});
