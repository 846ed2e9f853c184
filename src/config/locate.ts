// Where a key is in the TOML source. smol-toml returns plain values with no positions, so this scanner walks the
// text once and records where each key path is first written: `[a.b]` headers, dotted keys, quoted keys, inline
// tables. It only runs on text smol-toml has already accepted, so it skips values instead of checking them.

import type { KeyPath } from "./keys.js";

/** 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Key path (as JSON) → where it is first written. */
export type KeyIndex = ReadonlyMap<string, Position>;

const START: Position = { line: 1, column: 1 };
const BARE_KEY_CHAR = /[A-Za-z0-9_-]/;
const VALUE_END = /[\s,\]}#]/;

/** Where `path` is written; a missing key points at its nearest written parent (its header or key), else 1:1. */
export function locateKey(source: string, path: KeyPath): Position {
  return findKey(indexKeys(source), path);
}

/** Like locateKey, for many lookups in one file. */
export function findKey(index: KeyIndex, path: KeyPath): Position {
  // An array index is not written as a key, so it falls back to the array's own key.
  for (let length = path.length; length > 0; length--) {
    const found = index.get(pathId(path.slice(0, length)));
    if (found) return found;
  }
  return START;
}

/** Where `path` itself is written, or undefined when the file does not write it. */
export function findWrittenKey(index: KeyIndex, path: KeyPath): Position | undefined {
  return index.get(pathId(path));
}

export function indexKeys(source: string): KeyIndex {
  const scanner = new Scanner(source);
  let table: PropertyKey[] = [];
  while (scanner.skipBlank()) {
    const before = scanner.offset;
    if (scanner.peek() === "[") table = scanHeader(scanner);
    else scanKeyValue(scanner, table);
    // Never stall on text we do not understand.
    if (scanner.offset === before) scanner.skipLine();
  }
  return scanner.index;
}

function pathId(path: KeyPath): string {
  return JSON.stringify(path.map((segment) => (typeof segment === "number" ? segment : String(segment))));
}

/** `[a.b]` or `[[a.b]]`; returns the table path that the following keys belong to. */
function scanHeader(scanner: Scanner): PropertyKey[] {
  const at = scanner.position();
  const arrayOfTables = scanner.startsWith("[[");
  scanner.advance(arrayOfTables ? 2 : 1);
  const keys = scanKey(scanner);
  scanner.skipSpaces();
  scanner.advance(arrayOfTables ? 2 : 1);
  const path = keys.map((key) => key.name);
  // The table is where its header starts; parents it implies are where their names are written.
  scanner.record(path, at);
  for (const [i, key] of keys.entries()) scanner.record(path.slice(0, i + 1), key.at);
  if (!arrayOfTables) return path;
  const tablePath = [...path, scanner.nextArrayIndex(path)];
  scanner.record(tablePath, at);
  return tablePath;
}

/** `a.b = value`, the key paths relative to `table`. */
function scanKeyValue(scanner: Scanner, table: KeyPath): void {
  const keys = scanKey(scanner);
  if (keys.length === 0) return;
  const path = [...table, ...keys.map((key) => key.name)];
  for (const [i, key] of keys.entries()) scanner.record(path.slice(0, table.length + i + 1), key.at);
  scanner.skipSpaces();
  if (scanner.peek() !== "=") return;
  scanner.advance(1);
  scanner.skipSpaces();
  scanValue(scanner, path);
}

interface KeyPart {
  name: string;
  at: Position;
}

function scanKey(scanner: Scanner): KeyPart[] {
  const parts: KeyPart[] = [];
  for (;;) {
    scanner.skipSpaces();
    const at = scanner.position();
    const name = scanKeyPart(scanner);
    if (name === undefined) return parts;
    parts.push({ name, at });
    scanner.skipSpaces();
    if (scanner.peek() !== ".") return parts;
    scanner.advance(1);
  }
}

function scanKeyPart(scanner: Scanner): string | undefined {
  const quote = scanner.peek();
  if (quote === '"' || quote === "'") {
    const raw = scanner.skipString();
    return quote === '"' ? unescapeBasic(raw) : raw;
  }
  const start = scanner.offset;
  while (BARE_KEY_CHAR.test(scanner.peek())) scanner.advance(1);
  return scanner.offset > start ? scanner.text.slice(start, scanner.offset) : undefined;
}

function scanValue(scanner: Scanner, path: KeyPath): void {
  const first = scanner.peek();
  if (first === '"' || first === "'") scanner.skipString();
  else if (first === "[") scanList(scanner, "]", (i) => scanValue(scanner, [...path, i]));
  else if (first === "{") scanList(scanner, "}", () => scanKeyValue(scanner, path));
  else scanBareValue(scanner);
}

/** A number, boolean or date; `1979-05-27 07:32:00` is one value despite its space. */
function scanBareValue(scanner: Scanner): void {
  const start = scanner.offset;
  for (;;) {
    while (!scanner.done() && !VALUE_END.test(scanner.peek())) scanner.advance(1);
    const dateThenTime =
      scanner.peek() === " " && /^\d{4}-\d{2}-\d{2} \d$/.test(scanner.text.slice(start, scanner.offset + 2));
    if (!dateThenTime) return;
    scanner.advance(1);
  }
}

/** An array or inline table: items separated by commas, up to `close`. */
function scanList(scanner: Scanner, close: string, scanItem: (index: number) => void): void {
  scanner.advance(1);
  for (let index = 0; scanner.skipBlank(); index++) {
    if (scanner.peek() === close) break;
    const before = scanner.offset;
    scanItem(index);
    scanner.skipBlank();
    if (scanner.peek() === ",") scanner.advance(1);
    else if (scanner.offset === before) break;
  }
  if (scanner.peek() === close) scanner.advance(1);
}

/** Quoted keys are rarely escaped; handle the TOML escapes and keep anything else as written. */
function unescapeBasic(raw: string): string {
  const simple: Record<string, string> = {
    b: "\b",
    t: "\t",
    n: "\n",
    f: "\f",
    r: "\r",
    e: "\x1b",
    '"': '"',
    "\\": "\\",
  };
  return raw.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)/g, (sequence, code: string) => {
    if (code.length > 1) return String.fromCodePoint(Number.parseInt(code.slice(1), 16));
    return simple[code] ?? sequence;
  });
}

class Scanner {
  readonly text: string;
  offset = 0;
  readonly index = new Map<string, Position>();
  private readonly lineStarts: number[] = [0];
  private readonly arrayCounts = new Map<string, number>();

  constructor(text: string) {
    this.text = text;
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
  }

  done(): boolean {
    return this.offset >= this.text.length;
  }

  peek(): string {
    return this.text[this.offset] ?? "";
  }

  startsWith(prefix: string): boolean {
    return this.text.startsWith(prefix, this.offset);
  }

  advance(count: number): void {
    this.offset = Math.min(this.offset + count, this.text.length);
  }

  position(): Position {
    const line = this.lineOf(this.offset);
    return { line: line + 1, column: this.offset - (this.lineStarts[line] ?? 0) + 1 };
  }

  /** The 0-based line holding `offset`, by binary search: a file of 90 000 keys asks 90 000 times. */
  private lineOf(offset: number): number {
    let [low, high] = [0, this.lineStarts.length - 1];
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** The first place a path is written wins: that is where the user defined it. */
  record(path: KeyPath, at: Position): void {
    const id = pathId(path);
    if (!this.index.has(id)) this.index.set(id, at);
  }

  nextArrayIndex(path: KeyPath): number {
    const id = pathId(path);
    const next = this.arrayCounts.get(id) ?? 0;
    this.arrayCounts.set(id, next + 1);
    return next;
  }

  skipSpaces(): void {
    while (this.peek() === " " || this.peek() === "\t") this.advance(1);
  }

  /** Skips whitespace, newlines and comments; false at the end of the text. */
  skipBlank(): boolean {
    for (;;) {
      const char = this.peek();
      if (char === "#") this.skipLine();
      else if (char === " " || char === "\t" || char === "\r" || char === "\n") this.advance(1);
      else return !this.done();
    }
  }

  skipLine(): void {
    const end = this.text.indexOf("\n", this.offset);
    this.offset = end === -1 ? this.text.length : end + 1;
  }

  /** Skips any of the four TOML strings and returns its raw contents (escapes not decoded). */
  skipString(): string {
    const quote = this.peek();
    const triple = quote.repeat(3);
    const multiline = this.startsWith(triple);
    const delimiter = multiline ? triple : quote;
    this.advance(delimiter.length);
    const start = this.offset;
    while (!this.done() && !this.startsWith(delimiter)) {
      if (!multiline && this.peek() === "\n") break;
      this.advance(quote === '"' && this.peek() === "\\" ? 2 : 1);
    }
    // A multi-line string may end with one or two quotes of its own just before the delimiter: `"""a"""""`.
    while (multiline && this.text.startsWith(quote, this.offset + delimiter.length)) this.advance(1);
    const raw = this.text.slice(start, this.offset);
    this.advance(delimiter.length);
    return raw;
  }
}
