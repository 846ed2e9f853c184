// Pure: the job summary's record of what shipped (which commit, by whom, from which run, and the commits and pull
// requests since the revision the service ran before), and its one line for the log. Commit messages, pull request
// titles and names are text the action did not write: they go inside a code block, and links are built only from
// values checked to be commit ids, numbers or repository names.
import { type Provenance, type RunContext, runPage, type Shipped, type Since } from "../plan/run/provenance.js";
import { codeSpan, oneLine } from "../text/inert.js";

export function renderProvenance(provenance: Provenance): string {
  const { run } = provenance;
  const lines = ["### What shipped", "", "| | |", "|---|---|"];
  lines.push(
    `| Commit | [${codeSpan(run.sha.slice(0, 7))}](${commitUrl(run, run.sha)}) in ${codeSpan(run.repository)}${ref(run)} |`,
  );
  if (run.actor) lines.push(`| Started by | ${codeSpan(run.actor)} |`);
  if (run.runId) lines.push(`| Run | ${runLink(run)} |`);
  lines.push("");
  const since = provenance.since;
  if (!since) return lines.join("\n");
  lines.push(sinceSentence(run, since, provenance.shipped), "");
  const shipped = provenance.shipped;
  if (shipped?.kind === "listed") lines.push(...listing(run, shipped));
  return lines.join("\n");
}

/** The same news in one line of the log. */
export function shippedLine(provenance: Provenance): string {
  const { run, since, shipped } = provenance;
  const by = run.actor ? ` by ${run.actor}` : "";
  const from = `Commit ${run.sha.slice(0, 7)} of ${run.repository}${run.runId ? `, run ${run.runId}` : ""}${by}`;
  return since ? `${from}; ${plainSince(run, since, shipped)}` : from;
}

function sinceSentence(run: RunContext, since: Since, shipped: Shipped | undefined): string {
  if (since.kind !== "compare") return capitalized(`${plainSince(run, since, shipped, codeSpan)}.`);
  const from = `${codeSpan(since.revision)} (commit [${codeSpan(since.base.slice(0, 7))}](${commitUrl(run, since.base)}))`;
  const compare = `[compare](${compareUrl(run, since.base)})`;
  if (shipped?.kind !== "listed") return `Since ${from}: ${notListed(shipped)}. ${compare}`;
  return `**Since ${from}**: ${counts(shipped)}. ${compare}`;
}

/** `name` marks names: plain in the log, inline code in the summary. */
function plainSince(run: RunContext, since: Since, shipped: Shipped | undefined, name = (t: string) => t): string {
  switch (since.kind) {
    case "first":
      return "the service ran no revision before";
    case "untagged":
      return `${name(since.revision)}, the revision the service ran before, names no commit: what ships since is not known`;
    case "same":
      return `${name(since.revision)} came from this same commit: no new commits ship`;
    case "other-repository": {
      const from = since.repository ? name(since.repository) : "another repository";
      return `${name(since.revision)} came from ${from}: its commits are not compared`;
    }
    case "compare": {
      const from = `since ${since.base.slice(0, 7)} (${since.revision})`;
      const what = shipped?.kind === "listed" ? counts(shipped) : notListed(shipped);
      return `${from}: ${what}; ${compareUrl(run, since.base)}`;
    }
  }
}

function notListed(shipped: Shipped | undefined): string {
  if (shipped?.kind === "no-token") return "the commits are not listed: no GitHub token (input `github-token`)";
  if (shipped?.kind === "failed") return `the commits could not be listed: ${oneLine(shipped.reason)}`;
  return "the commits are not listed";
}

function counts(shipped: Extract<Shipped, { kind: "listed" }>): string {
  const commits = plural(shipped.aheadBy, "commit");
  const pulls = plural(shipped.pulls.length, "pull request");
  if (shipped.status === "identical") return "the same commit: no new commits ship";
  if (shipped.status === "behind") return `this deploy goes back ${plural(shipped.behindBy, "commit")}: none ship`;
  const back = shipped.status === "diverged" ? `, and ${plural(shipped.behindBy, "commit")} of it do not` : "";
  return `${commits} ship${shipped.aheadBy === 1 ? "s" : ""} (${pulls})${back}`;
}

function listing(run: RunContext, shipped: Extract<Shipped, { kind: "listed" }>): string[] {
  const lines: string[] = [];
  if (shipped.pulls.length > 0) {
    const links = shipped.pulls.map((p) => `[#${p.number}](${repoUrl(run)}/pull/${p.number})`);
    lines.push(`Pull requests: ${links.join(", ")}`, "");
  }
  if (shipped.pullsError) lines.push(`Pull requests not all listed: ${codeSpan(shipped.pullsError)}`, "");
  if (shipped.commits.length === 0) return lines;
  const titles = new Map(shipped.pulls.map((p) => [p.number, p.title]));
  const commitLines = shipped.commits.map((c) => {
    const pulls = c.pulls.map((n) => ` #${n} ${titles.get(n) ?? ""}`.trimEnd());
    const by = c.author ? ` (${c.author})` : "";
    return safe(`${c.sha.slice(0, 7)} ${c.title}${by}${pulls.length > 0 ? ` —${pulls.join(",")}` : ""}`);
  });
  lines.push("```text", ...commitLines);
  if (shipped.unlisted > 0) lines.push(`… and ${plural(shipped.unlisted, "older commit")}`);
  lines.push("```", "");
  return lines;
}

function runLink(run: RunContext): string {
  const name = run.workflow ? `${codeSpan(run.workflow)} run` : "run";
  const attempt = Number(run.runAttempt) > 1 ? `, attempt ${run.runAttempt}` : "";
  const url = `${runPage(run)}/attempts/${encodeURIComponent(run.runAttempt || "1")}`;
  return `[${name} ${encodeURIComponent(run.runId)}${attempt}](${url})`;
}

function ref(run: RunContext): string {
  return run.refName ? ` on ${codeSpan(run.refName)}` : "";
}

function repoUrl(run: RunContext): string {
  return `${run.serverUrl}/${run.repository}`;
}

function commitUrl(run: RunContext, sha: string): string {
  return `${repoUrl(run)}/commit/${sha}`;
}

function compareUrl(run: RunContext, base: string): string {
  return `${repoUrl(run)}/compare/${base}...${run.sha}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** A line inside a fenced block: one line, and never the fence that closes it. */
function safe(line: string): string {
  return oneLine(line).replaceAll("```", "ʼʼʼ");
}
