// Pure: the rollout as a Mermaid gantt chart (GitHub renders Mermaid in Markdown): register and update, each task of
// ours from provisioning to running to healthy (or stopped, and why), the old revision serving then draining, the
// verdict; and for a rollback, its own bars. Times are epoch ms (`dateFormat x`, which both Mermaid versions tested
// parse). Names keep to a safe alphabet: `:` ends a task's name, `#` and `;` break older grammars, and a line that
// begins with a keyword (title, section, click…) would be taken as that statement, so every name begins with a word
// of ours. The text is AWS's and the app's: nothing of it may reach Mermaid raw.
import type { RolloutStory, TaskStory } from "../rollout/index.js";

export interface ChartedWatch {
  /** epoch ms of the watch's 0 */
  startedAt: number;
  story: RolloutStory;
  outcome: string;
  /** ms since startedAt of the verdict */
  endAt: number;
  /** `app:42` */
  revision: string;
}

export interface GanttInput {
  steps: { name: string; from: number; to: number }[];
  rollout?: ChartedWatch | undefined;
  rollback?: ChartedWatch | undefined;
}

/** Beyond this many tasks in one watch, tasks alike are drawn as one bar: a chart of ~30 bars stays readable. */
export const MAX_TASKS_DRAWN = 6;

/** Only characters no Mermaid grammar reads as syntax; the rest become spaces. */
export function chartText(text: string, max = 60): string {
  const safe = text
    .replace(/[^A-Za-z0-9 ._()[\]/,'+=-]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return safe.length > max ? `${safe.slice(0, max - 3).trimEnd()}...` : safe;
}

class Chart {
  private n = 0;
  readonly lines: string[] = ["gantt", "  dateFormat x", "  axisFormat %H:%M:%S", "  todayMarker off"];

  section(name: string): void {
    this.lines.push(`  section ${chartText(name, 40)}`);
  }

  bar(name: string, from: number, to: number, tags: string[] = []): void {
    const start = Math.round(from);
    const end = Math.max(Math.round(to), start + 1);
    this.lines.push(`    ${chartText(name)} :${[...tags, `b${++this.n}`, start, end].join(", ")}`);
  }

  milestone(name: string, at: number, crit: boolean): void {
    this.lines.push(
      `    ${chartText(name)} :${[crit ? "crit" : "", "milestone", `b${++this.n}`, Math.round(at), "0ms"].filter(Boolean).join(", ")}`,
    );
  }
}

function taskBars(chart: Chart, t: TaskStory, origin: number, end: number): void {
  const stop = t.stoppedAt ?? end;
  const running = t.runningAt ?? (t.stoppedAt === undefined ? undefined : stop);
  chart.bar(`task ${t.id} provisioning`, origin + t.createdAt, origin + (running ?? stop), ["done"]);
  if (t.runningAt !== undefined) {
    const healthy = t.healthyAt ?? stop;
    chart.bar(
      `task ${t.id} running`,
      origin + t.runningAt,
      origin + healthy,
      t.stoppedAt === undefined && t.healthyAt === undefined ? ["active"] : ["done"],
    );
    if (t.healthyAt !== undefined) chart.bar(`task ${t.id} healthy`, origin + t.healthyAt, origin + stop, ["active"]);
  }
  if (t.stoppedAt !== undefined)
    chart.milestone(`task ${t.id} stopped - ${t.why ?? ""}`, origin + t.stoppedAt, t.failed === true);
}

/** Tasks alike (same revision, same fate, same reason) as one bar each: `4 tasks stopped - CannotPullContainerError…`. */
function groupBars(chart: Chart, tasks: TaskStory[], origin: number, end: number): void {
  const groups = new Map<string, TaskStory[]>();
  for (const t of tasks) {
    const fate =
      t.stoppedAt !== undefined
        ? `stopped - ${t.why ?? ""}`
        : t.healthyAt !== undefined
          ? "healthy"
          : t.runningAt !== undefined
            ? "running"
            : "provisioning";
    groups.set(fate, [...(groups.get(fate) ?? []), t]);
  }
  for (const [fate, alike] of groups) {
    const from = Math.min(...alike.map((t) => t.createdAt));
    const to = Math.max(...alike.map((t) => t.stoppedAt ?? end));
    const tags = fate.startsWith("stopped") ? (alike.some((t) => t.failed) ? ["crit"] : ["done"]) : ["active"];
    chart.bar(`${alike.length} tasks ${fate}`, origin + from, origin + to, tags);
  }
}

/** Blue/green, linear, canary: a bar per lifecycle stage (and traffic step), with the weights ECS asked for. */
function stageBars(chart: Chart, w: ChartedWatch, label: string): void {
  const marks = w.story.stages ?? [];
  if (marks.length === 0) return;
  chart.section(`${label} stages`);
  const weight = (n: number | undefined) => (n === undefined ? "?" : String(Math.round(n * 10) / 10));
  marks.forEach((m, i) => {
    const to = marks[i + 1]?.at ?? w.endAt;
    const name = `${m.back ? "rollback " : ""}${m.stage} prod ${weight(m.production)} test ${weight(m.test)}`;
    chart.bar(
      name,
      w.startedAt + m.at,
      w.startedAt + to,
      m.back ? ["crit"] : i === marks.length - 1 ? ["active"] : ["done"],
    );
  });
}

function watchBars(chart: Chart, w: ChartedWatch, label: string): void {
  const origin = w.startedAt;
  stageBars(chart, w, label);
  const byRevision = new Map<string, TaskStory[]>();
  for (const t of w.story.tasks) byRevision.set(t.revision, [...(byRevision.get(t.revision) ?? []), t]);
  for (const [revision, tasks] of byRevision) {
    chart.section(`${label} ${revision}`);
    if (tasks.length > MAX_TASKS_DRAWN) groupBars(chart, tasks, origin, w.endAt);
    else for (const t of tasks) taskBars(chart, t, origin, w.endAt);
  }
  const { drainFrom, oldGoneAt } = w.story;
  chart.section(`${label} old revision`);
  chart.bar("old revision serving", origin, origin + (drainFrom ?? w.endAt), ["done"]);
  if (drainFrom !== undefined)
    chart.bar("old revision draining", origin + drainFrom, origin + (oldGoneAt ?? w.endAt), ["active"]);
  if (w.story.liveAt !== undefined) chart.milestone(`${w.revision} live`, origin + w.story.liveAt, false);
  chart.milestone(`verdict ${w.outcome}`, origin + w.endAt, w.outcome !== "succeeded");
}

export function renderGantt(input: GanttInput): string {
  const chart = new Chart();
  if (input.steps.length > 0) {
    chart.section("deploy");
    for (const step of input.steps) chart.bar(step.name, step.from, step.to, ["done"]);
  }
  if (input.rollout) watchBars(chart, input.rollout, "rollout");
  if (input.rollback) watchBars(chart, input.rollback, "rollback");
  return chart.lines.join("\n");
}
