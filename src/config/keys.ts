// Key paths into the parsed TOML, as zod reports them: table keys are strings, array indexes numbers.

export type KeyPath = readonly PropertyKey[];

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

// Control characters, bidi overrides and isolates, zero-width and other format characters, line and paragraph
// separators: they can make a key or value read as something else in a log or a review, so they are never printed raw.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u00A0\u2000-\u200A\u202F\u205F\u3000]/gu;

/** Whether `text` holds a character that `escapeInvisible` would escape. */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(text);
}

/** `text` with every invisible or control character written as `\u{202E}`, so a message shows what is there. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`);
}

/** The first invisible character in `text`, as `U+202E`, or undefined. */
export function firstInvisible(text: string): string | undefined {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.exec(text)?.[0];
  return found && `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A path written the way a user would find it in the file: `containers.nginx.port`, `command[1]`, `tags."a.b"`. */
export function formatKey(path: KeyPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") {
      text += `[${segment}]`;
      continue;
    }
    const name = String(segment);
    const quoted = BARE_KEY.test(name) ? name : escapeInvisible(JSON.stringify(name));
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
