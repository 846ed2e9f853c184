// Key paths into the parsed TOML, as zod reports them: table keys are strings, array indexes numbers.

export type KeyPath = readonly PropertyKey[];

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** A path written the way a user would find it in the file: `containers.nginx.port`, `command[1]`, `tags."a.b"`. */
export function formatKey(path: KeyPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") {
      text += `[${segment}]`;
      continue;
    }
    const name = String(segment);
    const quoted = BARE_KEY.test(name) ? name : JSON.stringify(name);
    text += text ? `.${quoted}` : quoted;
  }
  return text;
}

/** The value at `path` in parsed TOML, or undefined when any step is missing. */
export function valueAt(root: unknown, path: KeyPath): unknown {
  let value = root;
  for (const segment of path) {
    // hasOwn: a key named `constructor` or `toString` must not find Object.prototype's.
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}
