// A strict check of the Mermaid gantt syntax report/gantt.ts emits. Mermaid itself needs a DOM to parse, so this is
// our own grammar of the subset we write, stricter than Mermaid's: what it accepts, Mermaid 11.3 (GitHub's) and
// 11.17 accept too (research notes E4), and anything else is refused with the line and the reason.
//
//   chart    := "gantt" NL { statement NL }
//   statement:= "dateFormat x" | "axisFormat " FORMAT | "todayMarker off" | "section " NAME | task
//   task     := NAME " :" [tags ", "] ID ", " START ", " (END | DURATION)
//   tags     := tag { ", " tag }          tag := done | active | crit | milestone (each once, before the id)
//   NAME     := no ":", "#", ";", backtick or line break, not starting with a keyword, 1–60 characters
//   ID       := [A-Za-z][A-Za-z0-9_]*, unique       START, END := epoch ms, END ≥ START       DURATION := \d+ms

const KEYWORDS =
  /^(title|section|dateformat|axisformat|tickinterval|todaymarker|excludes|includes|weekday|weekend|click|call|accTitle|accDescr|displayMode|inclusiveEndDates|topAxis|%%|\d{4}-\d{2}-\d{2})\b/i;
const NAME = /^[^:#;`\n\r]{1,60}$/;
const TAGS = new Set(["done", "active", "crit", "milestone"]);
const AXIS = new Set(["%H:%M:%S", "%M:%S"]);

export interface GanttCheck {
  problems: string[];
  /** task bars and milestones */
  tasks: { name: string; tags: string[]; start: number; end: number }[];
  sections: string[];
}

function checkTask(
  line: string,
  ids: Set<string>,
  problems: string[],
  at: string,
): GanttCheck["tasks"][number] | undefined {
  const colon = line.indexOf(" :");
  if (colon < 0) return void problems.push(`${at}: not a statement: ${line}`);
  const name = line.slice(0, colon).trim();
  if (!NAME.test(name)) problems.push(`${at}: task name has a forbidden character or length: ${name}`);
  if (KEYWORDS.test(name)) problems.push(`${at}: task name starts with a keyword: ${name}`);
  const meta = line
    .slice(colon + 2)
    .split(",")
    .map((part) => part.trim());
  const tags: string[] = [];
  while (meta.length > 0 && TAGS.has(meta[0] ?? "")) {
    const tag = meta.shift() ?? "";
    if (tags.includes(tag)) problems.push(`${at}: tag ${tag} twice`);
    tags.push(tag);
  }
  if (meta.length !== 3) return void problems.push(`${at}: expected id, start, end after the tags: ${line}`);
  const [id = "", startText = "", endText = ""] = meta;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(id)) problems.push(`${at}: bad id ${id}`);
  if (ids.has(id)) problems.push(`${at}: id ${id} used twice`);
  ids.add(id);
  if (!/^\d+$/.test(startText)) problems.push(`${at}: start is not epoch ms: ${startText}`);
  const start = Number(startText);
  let end: number;
  if (/^\d+ms$/.test(endText)) end = start + Number(endText.slice(0, -2));
  else if (/^\d+$/.test(endText)) end = Number(endText);
  else return void problems.push(`${at}: end is neither epoch ms nor a duration in ms: ${endText}`);
  if (end < start) problems.push(`${at}: ends before it starts`);
  if (tags.includes("milestone") && end !== start) problems.push(`${at}: a milestone has no length`);
  return { name, tags, start, end };
}

export function checkGantt(text: string): GanttCheck {
  const problems: string[] = [];
  const tasks: GanttCheck["tasks"] = [];
  const sections: string[] = [];
  const ids = new Set<string>();
  const lines = text.split("\n");
  if (lines[0] !== "gantt") problems.push(`line 1: expected "gantt", got ${lines[0]}`);
  let dateFormat = false;
  for (const [i, raw] of lines.slice(1).entries()) {
    const at = `line ${i + 2}`;
    const line = raw.trim();
    if (line === "") continue;
    if (line === "dateFormat x") dateFormat = true;
    else if (line.startsWith("axisFormat ")) {
      if (!AXIS.has(line.slice(11))) problems.push(`${at}: axis format ${line.slice(11)}`);
    } else if (line === "todayMarker off") continue;
    else if (line.startsWith("section ")) {
      const name = line.slice(8);
      if (!NAME.test(name)) problems.push(`${at}: section name has a forbidden character: ${name}`);
      sections.push(name);
    } else {
      if (sections.length === 0) problems.push(`${at}: a task before any section`);
      const task = checkTask(line, ids, problems, at);
      if (task) tasks.push(task);
    }
  }
  if (!dateFormat) problems.push("no dateFormat x: epoch ms would not parse");
  return { problems, tasks, sections };
}
