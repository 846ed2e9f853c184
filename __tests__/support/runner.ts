// The GitHub runner's reading of a step's output, as actions/runner does it (research notes E1):
// - output splits into lines at \n, \r and \r\n (.NET StreamReader.ReadLine);
// - `::name props::data` is a command only at the start of a line, after its leading white space (TrimStart);
// - `##[name props]data`, the legacy form, is a command wherever it appears in a line;
// - only registered commands count (case-insensitive); `::stop-commands::TOKEN` stops all processing until a
//   `::TOKEN::` (or `##[TOKEN]`) line, and an empty token stops it for good;
// - while stopped, nothing but the resume line is processed.

const REGISTERED = new Set([
  "add-mask",
  "add-matcher",
  "add-path",
  "debug",
  "echo",
  "endgroup",
  "error",
  "group",
  "notice",
  "remove-matcher",
  "save-state",
  "set-env",
  "set-output",
  "stop-commands",
  "warning",
]);

export interface RunnerCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
  /** the line it was read from */
  line: string;
}

function properties(text: string, separator: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const pair of text.split(separator)) {
    const eq = pair.indexOf("=");
    if (eq > 0) props[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return props;
}

function parseV2(line: string, known: (name: string) => boolean): RunnerCommand | undefined {
  const trimmed = line.trimStart();
  if (!trimmed.startsWith("::")) return undefined;
  const end = trimmed.indexOf("::", 2);
  if (end < 0) return undefined;
  const head = trimmed.slice(2, end);
  const space = head.indexOf(" ");
  const name = space < 0 ? head : head.slice(0, space);
  if (!known(name)) return undefined;
  return {
    name,
    properties: space < 0 ? {} : properties(head.slice(space + 1), ","),
    data: trimmed.slice(end + 2),
    line,
  };
}

function parseV1(line: string, known: (name: string) => boolean): RunnerCommand | undefined {
  const start = line.indexOf("##[");
  if (start < 0) return undefined;
  const end = line.indexOf("]", start);
  if (end < 0) return undefined;
  const head = line.slice(start + 3, end);
  const space = head.indexOf(" ");
  const name = space < 0 ? head : head.slice(0, space);
  if (!known(name)) return undefined;
  return { name, properties: space < 0 ? {} : properties(head.slice(space + 1), ";"), data: line.slice(end + 1), line };
}

/** The commands the runner would process in `output`, in order, and whether processing ended stopped. */
export function runnerCommands(output: string): { commands: RunnerCommand[]; stoppedAtEnd: boolean } {
  const commands: RunnerCommand[] = [];
  let stopToken: string | undefined;
  for (const line of output.split(/\r\n|\r|\n/)) {
    const known = (name: string) =>
      stopToken !== undefined ? stopToken !== "" && name === stopToken : REGISTERED.has(name.toLowerCase());
    const command = parseV2(line, known) ?? parseV1(line, known);
    if (!command) continue;
    if (stopToken !== undefined) {
      stopToken = undefined;
      commands.push({ ...command, name: "resume-commands" });
      continue;
    }
    if (command.name.toLowerCase() === "stop-commands") stopToken = command.data;
    commands.push(command);
  }
  return { commands, stoppedAtEnd: stopToken !== undefined };
}
