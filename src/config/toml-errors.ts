// Pure: a TOML syntax error in the user's words. smol-toml says what its parser met ("control characters are not
// allowed in strings" for a quote left open); this says what the file is missing and where it began: the string or
// bracket left open, the key defined twice and the line of its first definition. Unknown errors keep the parser's
// words, at its line and column.

export interface TomlSyntax {
  message: string;
  line: number;
  column: number;
}

const PREFIX = /^Invalid TOML document: /;

/** The parser's error (its first line, line and column) → the words and place a user acts on. */
export function explainTomlError(source: string, error: TomlSyntax): TomlSyntax {
  const lines = source.split(/\r?\n/);
  const said = error.message.replace(PREFIX, "");
  const text = lines[error.line - 1] ?? "";
  const rule = RULES.find(([pattern]) => pattern.test(said));
  const message = rule?.[1]({ lines, text, line: error.line, column: error.column, said });
  return message ? { ...error, ...message } : { ...error, message: said };
}

interface At {
  lines: string[];
  /** the text of the error's line */
  text: string;
  line: number;
  column: number;
  said: string;
}

type Explained = { message: string; line?: number; column?: number } | undefined;

const RULES: [RegExp, (at: At) => Explained][] = [
  [/control characters are not allowed in strings|unfinished string/, openString],
  [/illegal character in key/, badKey],
  [/expected comma or end of structure/, openBracket],
  [/redefine an already defined/, redefined],
  [/^invalid value/, badValue],
  [/unrecognised escape sequence/, badEscape],
  [/illegal leading zero/, () => ({ message: "a TOML number has no leading zero: write `80`, not `080`" })],
];

/** A quote opened and not closed before the end of its line (or of the file, for `"""`). */
function openString({ text, line, column, said }: At): Explained {
  const rest = text.slice(column - 1);
  const triple = /"""|'''/.exec(text);
  if (said.includes("unfinished") && triple) {
    const quote = triple[0];
    const message = `the string opened here with ${quote} is never closed: add the closing ${quote}`;
    return { message, column: triple.index + 1 };
  }
  const start = openQuote(text);
  if (!start || rest.trim() !== "") {
    return { message: "a string holds a control character: write it as an escape (`\\t`, `\\u0007`) or remove it" };
  }
  const { quote, index } = start;
  return {
    message: `the string opened at line ${line}, column ${index + 1} is not closed: add the closing ${quote} before the end of the line (text on several lines goes between ${quote.repeat(3)})`,
    column: index + 1,
  };
}

/** The quote that opens a string left open on this line, if any (a `#` outside strings starts a comment). */
function openQuote(text: string): { quote: string; index: number } | undefined {
  let open: { quote: string; index: number } | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? "";
    if (open) {
      if (c === "\\" && open.quote === '"') i += 1;
      else if (c === open.quote) open = undefined;
    } else if (c === '"' || c === "'") open = { quote: c, index: i };
    else if (c === "#") break;
  }
  return open;
}

function badKey({ text }: At): Explained {
  const trimmed = text.trim();
  if (trimmed.startsWith("[") && !trimmed.includes("]")) {
    const close = trimmed.startsWith("[[") ? "]]" : "]";
    return { message: `the table header \`${trimmed}\` is not closed: add \`${close}\`` };
  }
  const colon = /^([A-Za-z0-9_-]+)\s*:/.exec(trimmed);
  if (colon) return { message: `TOML separates a key from its value with =, not a colon: \`${colon[1]} = …\`` };
  const spaced = /^([A-Za-z0-9_-]+(?:\s+[A-Za-z0-9_-]+)+)\s*=/.exec(trimmed);
  if (spaced) {
    return {
      message: `\`${spaced[1]}\` is not a key: a bare key holds letters, digits, - and _ only; write it with _ or in quotes`,
    };
  }
  const noEquals = /^([A-Za-z0-9_-]+)\s+\S/.exec(trimmed);
  if (noEquals && !trimmed.includes("="))
    return { message: `the key \`${noEquals[1]}\` has no =: write \`${noEquals[1]} = …\`` };
  return undefined;
}

/** The array or inline table left open before the error: where it began. */
function openBracket({ lines, line, column }: At): Explained {
  const opened: { c: string; line: number; column: number }[] = [];
  for (let l = 0; l < line; l += 1) {
    const text = lines[l] ?? "";
    // A table header, outside any value: its brackets open nothing.
    if (opened.length === 0 && /^\s*\[[^=]*$/.test(text)) continue;
    const end = l === line - 1 ? column - 1 : text.length;
    let quote: string | undefined;
    for (let i = 0; i < end; i += 1) {
      const c = text[i] ?? "";
      if (quote) {
        if (c === "\\" && quote === '"') i += 1;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === "#") break;
      else if (c === "[" || c === "{") opened.push({ c, line: l + 1, column: i + 1 });
      else if (c === "]" || c === "}") opened.pop();
    }
  }
  const last = opened.at(-1);
  if (!last) return undefined;
  const [what, close] = last.c === "[" ? ["array", "]"] : ["inline table", "}"];
  const where = `line ${last.line}, column ${last.column}`;
  return {
    message: `the ${what} opened at ${where} is not closed: add \`${close}\` (or a comma between two items)`,
  };
}

/** A key or table defined twice: the full key, and the line that defined it first. */
function redefined({ lines, line, said }: At): Explained {
  if (said.includes("already defined value") && !said.includes("table")) {
    return { message: "a key appears twice in this inline table: keep one" };
  }
  const seen = new Map<string, number>();
  let table: string[] = [];
  for (let l = 0; l < line; l += 1) {
    const text = lines[l] ?? "";
    const header = /^\s*(\[\[?)\s*([^\]]+?)\s*\]/.exec(text);
    const assignment = /^\s*([A-Za-z0-9_\-."' ]+?)\s*=/.exec(text);
    let path: string[] | undefined;
    if (header) {
      path = keyPath(header[2] ?? "");
      table = path;
      // An array of tables adds an element each time: not a redefinition.
      if (header[1] === "[[") continue;
    } else if (assignment) path = [...table, ...keyPath(assignment[1] ?? "")];
    if (!path) continue;
    const name = path.join(".");
    const first = [...prefixes(path)].map((p) => seen.get(p)).find((n) => n !== undefined);
    if (l === line - 1) {
      const at = seen.get(name) ?? first;
      if (at === undefined) return undefined;
      const what = header ? `the table [${name}]` : `\`${name}\``;
      return { message: `${what} is defined twice: first at line ${at}, again here. Keep one (or merge the two)` };
    }
    for (const p of prefixes(path)) if (!seen.has(p)) seen.set(p, l + 1);
  }
  return undefined;
}

/** `a."b.c".d` → a, b.c, d. */
function keyPath(text: string): string[] {
  return (text.match(/"[^"]*"|'[^']*'|[^.]+/g) ?? []).map((k) => k.trim().replace(/^["']|["']$/g, ""));
}

function* prefixes(path: string[]): Generator<string> {
  for (let i = 1; i <= path.length; i += 1) yield path.slice(0, i).join(".");
}

function badValue({ text, column }: At): Explained {
  const key = /^\s*([A-Za-z0-9_.-]+)\s*=/.exec(text)?.[1];
  const value = text.slice(column - 1).trim();
  if (key && value === "") {
    return { message: `\`${key}\` has no value: write one after = (a "string", a number, true or false, [an array])` };
  }
  const word = /^[A-Za-z][\w.:/-]*/.exec(value)?.[0];
  if (word) return { message: `\`${word}\` is not a TOML value: a string goes in quotes, "${word}"` };
  return undefined;
}

function badEscape({ text, column }: At): Explained {
  const at = text.lastIndexOf("\\", column - 1);
  const shown = at < 0 ? "\\" : text.slice(at, at + 2);
  return {
    message: `\`${shown}\` is no escape in a TOML string: write \\\\ for a backslash, or put the text in single quotes ('C:\\path' is taken as written)`,
    ...(at < 0 ? {} : { column: at + 1 }),
  };
}
