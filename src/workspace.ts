// The only reader of files: the config file and every file it extends. For the action they are confined to the
// workspace, the checkout they come from: a path may not leave it (`..`, an absolute path elsewhere, a symlink
// pointing out). On the command line the user names the file, so any path is theirs (`free`). Either way only regular
// files are read (a FIFO would block the step for ever, a device such as /dev/zero would fill the memory), and a file
// holds at most 1 MiB of UTF-8.
import { closeSync, constants, fstatSync, globSync, openSync, readSync, realpathSync, type Stats } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { type Config, firstInvalidUtf8, type LoadedConfig, loadConfigFiles } from "./config/index.js";
import { ConfigError } from "./errors.js";

/** A config file is a few kilobytes; 1 MiB leaves room for any real one and bounds what a hostile one costs. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads and validates the config file `configPath` (the `config` input: relative to the workspace, or absolute but
 * inside it) and every file it extends. Problems name files relative to the workspace, so GitHub can annotate them.
 */
export function loadConfigFile(workspace: string, configPath: string, confined = true): LoadedConfig {
  if (!confined) return loadFreeConfigFile(workspace, configPath);
  const root = realRoot(workspace);
  return loadConfigFiles(workspacePath(root, configPath), (path) => readWorkspaceFile(root, path));
}

/**
 * The command line's reading: `configPath` and the paths its `extends` name are taken as written (relative to `cwd`,
 * `..` and absolute paths included), and problems name them so. Only the kind, size and encoding checks apply.
 */
function loadFreeConfigFile(cwd: string, configPath: string): LoadedConfig {
  const words = freeWords(cwd);
  const read = (path: string) => readFile(resolveReal(resolve(cwd, path), path, words), path, words);
  return loadConfigFiles(configPath.split(sep).join("/"), read, { confined: false });
}

/**
 * Each argument as the files it names: a glob (`applications/web/jobs/*-prod.toml`) expands, with Node's own
 * fs.globSync, to its files in sorted order; a plain path stays as it is (a missing one is reported when read); a file
 * named twice is read once. A glob that matches nothing is returned in `unmatched`: a typo must not deploy nothing
 * and succeed, so every caller refuses it.
 */
export function expandConfigPaths(cwd: string, patterns: readonly string[]): { paths: string[]; unmatched: string[] } {
  const paths: string[] = [];
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    if (!/[*?[{]/.test(pattern)) {
      paths.push(pattern);
      continue;
    }
    const found = globSync(pattern, { cwd }).sort();
    if (found.length === 0) unmatched.push(pattern);
    paths.push(...found.map((path) => path.split(sep).join("/")));
  }
  return { paths: [...new Set(paths)], unmatched };
}

export function loadConfig(workspace: string, configPath: string): Config {
  return loadConfigFile(workspace, configPath).config;
}

function realRoot(workspace: string): string {
  try {
    return realpathSync(workspace);
  } catch (error) {
    throw readError(workspace, `the workspace ${workspace} cannot be read: ${errorText(error)}`);
  }
}

/** An absolute path inside the workspace is taken as the relative path it is; the loader refuses any other. */
function workspacePath(root: string, configPath: string): string {
  if (!isAbsolute(configPath)) return configPath.split(sep).join("/");
  const inside = relative(root, resolve(configPath));
  return inside.startsWith("..") || isAbsolute(inside) ? configPath : inside.split(sep).join("/");
}

/** The text of a workspace-relative file, or a ConfigError that says, in one problem, why it cannot be read. */
export function readWorkspaceFile(root: string, path: string): string {
  return readFile(resolveInside(root, path), path, ACTION_WORDS);
}

/** How a missing file is explained: the action's `config` input, or the command line's CONFIG argument. */
interface Words {
  notFound: (path: string) => string;
  isDirectory: string;
}

const ACTION_WORDS: Words = {
  notFound: (path) =>
    `config file ${path} not found: the \`config\` input is a path relative to the workspace (the repository root after actions/checkout); check the path, and that the job checks out the repository first`,
  isDirectory: "the `config` input must name a TOML file",
};

const freeWords = (cwd: string): Words => ({
  notFound: (path) => `config file ${path} not found (from ${cwd}): check the path`,
  isDirectory: "CONFIG must name a TOML file",
});

function readFile(real: string, path: string, words: Words): string {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; fstat then refuses it.
  const fd = openFile(real, path, words);
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw readError(path, `config file ${path} is a directory: ${words.isDirectory}`);
    if (!stats.isFile()) throw readError(path, `config file ${path} is ${kindOf(stats)}, not a regular file`);
    return decode(readBounded(fd, path), path);
  } finally {
    closeSync(fd);
  }
}

function resolveReal(absolute: string, path: string, words: Words): string {
  try {
    return realpathSync(absolute);
  } catch (error) {
    throw readError(path, notReadable(path, error, words));
  }
}

function resolveInside(root: string, path: string): string {
  const real = resolveReal(resolve(root, path), path, ACTION_WORDS);
  const inside = relative(root, real);
  if (inside.startsWith("..") || isAbsolute(inside)) {
    throw readError(
      path,
      `config file ${path} is a symbolic link to ${real}, outside the workspace: only files in the workspace are read`,
    );
  }
  return real;
}

function openFile(real: string, path: string, words: Words): number {
  try {
    return openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    throw readError(path, notReadable(path, error, words));
  }
}

/** At most MAX_CONFIG_BYTES; one byte more says the file is too large, whatever fstat claimed. */
function readBounded(fd: number, path: string): Buffer {
  const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
  let length = 0;
  for (;;) {
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) break;
    length += read;
    if (length > MAX_CONFIG_BYTES) {
      throw readError(
        path,
        `config file ${path} is larger than 1 MiB (${MAX_CONFIG_BYTES} bytes): a config file is a few kilobytes`,
      );
    }
  }
  return buffer.subarray(0, length);
}

function decode(bytes: Buffer, path: string): string {
  const offset = firstInvalidUtf8(bytes);
  if (offset === undefined) return bytes.toString("utf8");
  const line = bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length + 1;
  const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, "0");
  throw new ConfigError(`config file ${path} is not UTF-8`, [
    {
      message: `config file ${path} is not UTF-8: byte 0x${byte} at offset ${offset} (line ${line}) is not valid UTF-8; save the file as UTF-8`,
      location: { file: path, line, column: 1 },
    },
  ]);
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file";
}

function notReadable(path: string, error: unknown, words: Words): string {
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  if (code === "ENOENT") return words.notFound(path);
  if (code === "ELOOP") return `config file ${path} is a symbolic link that loops`;
  return `cannot read config file ${path}: ${errorText(error)}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readError(path: string, message: string): ConfigError {
  return new ConfigError(`cannot read ${path}`, [{ message, key: "config" }]);
}
