// Pure: the command line's usage errors in the user's words: an unknown option with the nearest known one, and a
// config and an image given the wrong way round (`deploy-action IMAGE CONFIG`), said before any file is looked for.
import { suggestKey } from "./config/index.js";

/** Node's parseArgs error → what to type instead. `known`: the option names, without their dashes. */
export function optionProblem(error: unknown, known: readonly string[]): string {
  const { code, message } = error as { code?: string; message?: string };
  const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec(message ?? "");
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknown) {
    const [, dashes = "--", name = ""] = unknown;
    const nearest = suggestKey(name, known);
    const hint = nearest ? `: did you mean \`--${nearest}\`?` : " (deploy-action --help lists them)";
    return `unknown option \`${dashes}${name}\`${hint}`;
  }
  return message ?? String(error);
}

const CONFIG_FILE = /\.toml$/i;

/**
 * The config comes first: a first argument that is not a TOML file, with one after it that is, was given the wrong
 * way round. Said with the order to type, instead of "config file <image> not found".
 */
export function swappedArguments(positionals: readonly string[]): string | undefined {
  const [first, ...rest] = positionals;
  if (first === undefined || CONFIG_FILE.test(first)) return undefined;
  const configs = rest.filter((p) => CONFIG_FILE.test(p));
  if (configs.length === 0) return undefined;
  const images = positionals.filter((p) => !CONFIG_FILE.test(p));
  return `the config file comes first, then the image: \`deploy-action ${[...configs, ...images].join(" ")}\` (\`${first}\` is not a TOML file)`;
}
