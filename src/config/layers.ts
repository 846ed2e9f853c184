// Pure: a config file and the files it extends, merged into one table. Bases come first, in the order `extends` lists
// them (a base may extend another), and the file that says `extends` comes last: tables merge key by key, scalars
// and arrays are replaced by the nearer file. Each key remembers which file wrote it, so a problem is annotated on
// the file and line where the user can fix it, which may be a shared file. Reading the files is the caller's job
// (workspace.ts confines it to the workspace); paths here are workspace-relative, with `/`.

import { posix } from "node:path";
import { ConfigError, type Problem, type SourceLocation } from "../errors.js";
import { formatKey, type KeyPath } from "./keys.js";
import { findKey, findWrittenKey, indexKeys, type KeyIndex, type Position } from "./locate.js";
import { parseToml, withoutBom } from "./toml.js";

/** Reads a workspace-relative file; throws a ConfigError whose one problem says why it cannot (no location). */
export type ReadFile = (path: string) => string;

export interface SourceFile {
  path: string;
  index: KeyIndex;
  /** Where this file writes a float with a whole value (see toml.ts). */
  floats: KeyPath[];
}

/** The merged table, and where each of its keys was written. */
export interface Layered {
  data: Record<string, unknown>;
  files: SourceFile[];
  /** Where `path` is written, or where its nearest written parent is (for a missing key: the table it belongs in). */
  locate(path: KeyPath): SourceLocation;
  /** Where `path` itself is written; undefined for a key no file writes (a default). */
  written(path: KeyPath): SourceLocation | undefined;
  /** The file that wrote `path` (for a table: the nearest file that writes any of it), or undefined. */
  origin(path: KeyPath): string | undefined;
  /** Floats with a whole value that made it into the merged table (a nearer file may have replaced one). */
  floats(): KeyPath[];
  /** Which keys each file gave, as short as can be said: a whole table when one file wrote all of it. */
  sources(): { file: string; keys: string[] }[];
}

/** Who wrote a value: the file's position in `files`, and for a table, who wrote each of its keys. */
interface Owner {
  file: number;
  keys?: Map<string, Owner>;
}

// A chain longer than this is a mistake, not a design; it also bounds the work a hostile file can ask for.
const MAX_FILES = 20;

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * How paths may go. Confined (the action in CI): a config and its bases stay inside the checkout they come from.
 * Free (the command line on a laptop): the user chose the file, so `..` and absolute paths are theirs to name.
 */
export interface LayerOptions {
  confined: boolean;
}

/** Reads `entry` and every file it extends, and merges them. Throws ConfigError with every problem found. */
export function loadLayers(entry: string, read: ReadFile, options: LayerOptions = { confined: true }): Layered {
  const start = options.confined ? entryPath(entry) : posix.normalize(entry);
  const state: LoadState = { read, files: [], problems: [], reads: 0, confined: options.confined };
  const layer = loadLayer(state, start, []);
  if (state.problems.length > 0 || !layer) {
    throw new ConfigError(`${entry} and the files it extends have problems`, state.problems);
  }
  return layered(layer.data, layer.owner, state.files);
}

/** The `config` input as a workspace path: relative, inside the workspace. */
function entryPath(entry: string): string {
  const problem = escapes(entry);
  if (problem) {
    throw new ConfigError(`config file ${entry} is outside the workspace`, [
      {
        key: "config",
        message: `config file ${entry} ${problem}: the \`config\` input is a path relative to the workspace (the repository root after actions/checkout)`,
      },
    ]);
  }
  return posix.normalize(entry);
}

/** Why a path leaves the workspace, or undefined when it stays inside. */
function escapes(path: string): string | undefined {
  if (posix.isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) return "is an absolute path";
  const normal = posix.normalize(path);
  if (normal === ".." || normal.startsWith("../")) return "leaves the workspace (`..`)";
  return undefined;
}

interface LoadState {
  read: ReadFile;
  files: SourceFile[];
  problems: Problem[];
  reads: number;
  confined: boolean;
}

interface Layer {
  data: Table;
  owner: Owner;
}

/** One file, its bases merged under it; undefined when it could not be read or parsed (its problem is recorded). */
function loadLayer(state: LoadState, path: string, chain: readonly Link[]): Layer | undefined {
  const source = readSource(state, path, chain);
  if (!source) return undefined;
  const file = state.files.push({ path, index: source.index, floats: source.floats }) - 1;
  const { extends: bases, ...own } = source.data;
  const paths = basePaths(state, { path, index: source.index, floats: [] }, bases, chain);
  let merged: Layer | undefined;
  for (const [i, base] of paths.entries()) {
    const link: Link = { file: path, at: findKey(source.index, ["extends", ...(Array.isArray(bases) ? [i] : [])]) };
    const layer = loadLayer(state, base, [...chain, link]);
    if (layer) merged = merged ? mergeLayer(state, merged, layer) : layer;
  }
  const mine: Layer = { data: own, owner: ownedBy(own, file) };
  return merged ? mergeLayer(state, merged, mine) : mine;
}

/** A step of the extends chain: the file that names the next one, and where. */
interface Link {
  file: string;
  at: Position;
}

function readSource(state: LoadState, path: string, chain: readonly Link[]) {
  const parent = chain.at(-1);
  const at = parent && { file: parent.file, ...parent.at };
  const fail = (message: string) => {
    state.problems.push({ message, ...(at ? { location: at } : { key: "config" }) });
    return undefined;
  };
  const cycle = chain.findIndex((link) => link.file === path);
  if (cycle >= 0)
    return fail(`\`extends\` makes a cycle: ${[...chain.slice(cycle).map((l) => l.file), path].join(" → ")}`);
  state.reads += 1;
  if (state.reads > MAX_FILES) return fail(`\`extends\` reads more than ${MAX_FILES} files: ${chainText(chain, path)}`);
  let text: string;
  try {
    text = state.read(path);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problem = error.problems[0];
    // A problem inside the file (not UTF-8, at this line) is annotated there; one about reaching it, where it is named.
    if (problem?.location) return void state.problems.push({ ...problem, message: problem.message + via(chain, path) });
    return fail(`${problem?.message ?? error.message}${via(chain, path)}`);
  }
  const source = withoutBom(text);
  try {
    return { ...parseToml(source, path), index: indexKeys(source) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems)
      state.problems.push({ ...problem, message: problem.message + via(chain, path) });
    return undefined;
  }
}

/** ` (extended by deploy/web.toml)`: how a base file was reached, for problems in it. */
function via(chain: readonly Link[], path: string): string {
  return chain.length > 0 ? ` (extends chain: ${chainText(chain, path)})` : "";
}

function chainText(chain: readonly Link[], path: string): string {
  return [...chain.map((link) => link.file), path].join(" → ");
}

/** The `extends` value of a file as workspace paths, each relative to the file that names it. */
function basePaths(state: LoadState, file: SourceFile, value: unknown, chain: readonly Link[]): string[] {
  if (value === undefined) return [];
  const list = typeof value === "string" ? [value] : value;
  const problem = (message: string, path: KeyPath = ["extends"]) =>
    state.problems.push({ message, key: formatKey(path), location: { file: file.path, ...findKey(file.index, path) } });
  if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== "string" || item === "")) {
    problem('`extends` must be a path (relative to this file) or an array of paths, e.g. "../shared/universe.toml"');
    return [];
  }
  return (list as string[]).flatMap((item, i) => {
    const key = typeof value === "string" ? ["extends"] : ["extends", i];
    const target = posix.isAbsolute(item)
      ? posix.normalize(item)
      : posix.normalize(posix.join(posix.dirname(file.path), item));
    if (!state.confined) return [target];
    const absolute = escapes(item) === "is an absolute path";
    const outside = absolute ? "is an absolute path" : escapes(target);
    if (outside) {
      problem(
        `\`${formatKey(key)}\` = "${item}" ${outside}: a base must be a file in the workspace${via(chain, file.path)}`,
        key,
      );
      return [];
    }
    return [target];
  });
}

/** A key named `__proto__` is a key like any other: define it, never assign it (which would set the prototype). */
function setOwn(table: Table, key: string, value: unknown): void {
  Object.defineProperty(table, key, { value, enumerable: true, writable: true, configurable: true });
}

function ownedBy(value: unknown, file: number): Owner {
  if (!isTable(value)) return { file };
  return { file, keys: new Map(Object.entries(value).map(([key, v]) => [key, ownedBy(v, file)])) };
}

/** `over` merged onto `base`: tables key by key, anything else replaced; a table against a non-table is a problem. */
function mergeLayer(state: LoadState, base: Layer, over: Layer): Layer {
  const { table, owners } = mergeTables(state, [], base.data, base.owner, over.data, over.owner);
  return { data: table, owner: { file: over.owner.file, keys: owners } };
}

function mergeTables(
  state: LoadState,
  path: KeyPath,
  base: Table,
  baseOwner: Owner,
  over: Table,
  overOwner: Owner,
): { table: Table; owners: Map<string, Owner> } {
  const table: Table = { ...base };
  const owners = new Map(baseOwner.keys ?? []);
  for (const [key, value] of Object.entries(over)) {
    const mine = overOwner.keys?.get(key) ?? { file: overOwner.file };
    const theirs = owners.get(key);
    const current = table[key];
    if (isTable(current) && isTable(value) && theirs) {
      const merged = mergeTables(state, [...path, key], current, theirs, value, mine);
      setOwn(table, key, merged.table);
      owners.set(key, { file: mine.file, keys: merged.owners });
      continue;
    }
    if (current !== undefined && theirs && isTable(current) !== isTable(value)) {
      state.problems.push(clash(state.files, [...path, key], mine.file, theirs.file, isTable(value)));
    }
    setOwn(table, key, value);
    owners.set(key, mine);
  }
  return { table, owners };
}

/** `network` is a table in one file and a string in another: neither can be merged into the other. */
function clash(files: SourceFile[], path: KeyPath, nearer: number, farther: number, nearerIsTable: boolean): Problem {
  const [near, far] = [files[nearer], files[farther]];
  const key = formatKey(path);
  const farAt = far ? findKey(far.index, path) : { line: 1, column: 1 };
  const [mine, theirs] = nearerIsTable ? ["a table", "not a table"] : ["not a table", "a table"];
  return {
    key,
    message: `\`${key}\` is ${mine} here but ${theirs} in ${far?.path}:${farAt.line}, which this file extends: write it the same way in both, or only in one`,
    location: { file: near?.path ?? "", ...(near ? findKey(near.index, path) : { line: 1, column: 1 }) },
  };
}

function layered(data: Table, owner: Owner, files: SourceFile[]): Layered {
  /** The deepest owner along `path`, and how far it got. */
  const deepest = (path: KeyPath) => {
    let node: Owner = owner;
    let depth = 0;
    for (const segment of path) {
      const next = node.keys?.get(String(segment));
      if (!next) break;
      node = next;
      depth += 1;
    }
    return { node, depth };
  };
  return {
    data,
    files,
    locate(path) {
      const { node } = deepest(path);
      const file = files[node.file];
      return { file: file?.path ?? "", ...(file ? findKey(file.index, path) : { line: 1, column: 1 }) };
    },
    written(path) {
      const { node, depth } = deepest(path);
      if (depth < path.length) return undefined;
      const file = files[node.file];
      const at = file && findWrittenKey(file.index, path);
      return at && { file: file.path, ...at };
    },
    origin(path) {
      const { node, depth } = deepest(path);
      return depth === path.length ? files[node.file]?.path : undefined;
    },
    floats() {
      return files.flatMap((file, i) => file.floats.filter((path) => deepest(path).node.file === i));
    },
    sources() {
      const keys = new Map<number, string[]>();
      collectSources(owner, [], keys);
      // A file reached twice (two bases that extend one universe) is one source.
      const byPath = new Map<string, string[]>();
      for (const [i, list] of [...keys].sort(([a], [b]) => a - b)) {
        const path = files[i]?.path ?? "";
        byPath.set(path, [...(byPath.get(path) ?? []), ...list]);
      }
      return [...byPath].map(([file, list]) => ({ file, keys: list }));
    },
  };
}

/** A key whose whole value one file wrote is listed as it; a table several files wrote is listed by its keys. */
function collectSources(node: Owner, path: string[], out: Map<number, string[]>): void {
  const files = filesOf(node);
  const only = files.size === 1 ? [...files][0] : undefined;
  if ((only !== undefined && path.length > 0) || !node.keys) {
    const list = out.get(node.file) ?? [];
    list.push(formatKey(path));
    out.set(only ?? node.file, list);
    return;
  }
  for (const [key, child] of node.keys) collectSources(child, [...path, key], out);
}

function filesOf(node: Owner, into = new Set<number>()): Set<number> {
  into.add(node.file);
  for (const child of node.keys?.values() ?? []) filesOf(child, into);
  return into;
}
