// A scripted GitHub REST API on loopback: one repository's linear history, GitHub's compare and commit-pulls answers
// computed from it, and every request recorded. Unit tests point src/github/api.ts at it; end-to-end tests point the
// bundled action at it through GITHUB_API_URL.
import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";

export interface FakeCommit {
  sha: string;
  message: string;
  login: string | null;
  name: string;
  /** Pull requests that brought the commit in. */
  pulls: { number: number; title: string; login: string }[];
}

export interface FakeGitHub {
  url: string;
  requests: { method: string; path: string; headers: IncomingHttpHeaders }[];
  /** Requests whose connection the client closed before the answer was whole: the client's abort reached the wire. */
  aborted: () => number;
  stop: () => Promise<void>;
}

export interface FakeGitHubOptions {
  repository: string;
  /** Oldest first. */
  history: FakeCommit[];
  /** The only token accepted; others get 401 Bad credentials. */
  token: string;
  /** Answer this status (with GitHub's error body) to requests whose path starts with the prefix. */
  failures?: { prefix: string; status: number; message: string }[];
  /** Hold every answer this long. */
  delayMs?: number;
  /** Hostile: never answer (`hang`), or answer 200 with a body of this many bytes, sent as fast as it goes. */
  hostile?: "hang" | { bodyBytes: number } | undefined;
}

export function sha(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

/** A linear history: commit i is `sha("c<i>")`, message `title <i>`, pull request 100+i. */
export function linearHistory(count: number): FakeCommit[] {
  return Array.from({ length: count }, (_, i) => ({
    sha: sha(`c${i}`),
    message: `title ${i}\n\nbody of ${i}`,
    login: i % 2 === 0 ? `dev${i}` : null,
    name: `Dev ${i}`,
    pulls: [{ number: 100 + i, title: `pull ${i}`, login: `dev${i}` }],
  }));
}

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const requests: FakeGitHub["requests"] = [];
  let aborted = 0;
  const server = createServer((req, res) => {
    const path = req.url ?? "";
    requests.push({ method: req.method ?? "", path, headers: req.headers });
    res.on("close", () => {
      if (!res.writableFinished) aborted++;
    });
    if (options.hostile === "hang") return;
    if (options.hostile) return sendBytes(res, options.hostile.bodyBytes);
    const [status, body] = answer(options, path, req.headers.authorization);
    setTimeout(() => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    }, options.delayMs ?? 0);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    aborted: () => aborted,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

/** A JSON string of `bytes` bytes, in 1 MiB writes, until done or the client goes away. */
function sendBytes(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { "content-type": "application/json" });
  const chunk = Buffer.alloc(1024 * 1024, "a");
  let left = bytes;
  const more = () => {
    while (left > 0 && !res.destroyed) {
      const part = chunk.subarray(0, Math.min(left, chunk.length));
      left -= part.length;
      if (!res.write(part)) return void res.once("drain", more);
    }
    if (!res.destroyed) res.end();
  };
  more();
}

/** GitHub takes a token in either scheme: `Bearer` (curl, http-client) or `token` (Octokit's). */
function authorized(options: FakeGitHubOptions, authorization: string | undefined): boolean {
  return authorization === `Bearer ${options.token}` || authorization === `token ${options.token}`;
}

function answer(options: FakeGitHubOptions, path: string, authorization: string | undefined): [number, unknown] {
  if (!authorized(options, authorization)) return [401, { message: "Bad credentials" }];
  const failure = options.failures?.find((f) => path.startsWith(f.prefix));
  if (failure) return [failure.status, { message: failure.message }];
  const repo = `/repos/${options.repository}`;
  const compare = new RegExp(`^${repo}/compare/([0-9a-f]{40})\\.\\.\\.([0-9a-f]{40})$`).exec(path);
  if (compare) return comparison(options.history, compare[1] ?? "", compare[2] ?? "");
  const pulls = new RegExp(`^${repo}/commits/([0-9a-f]{40})/pulls(\\?.*)?$`).exec(path);
  if (pulls) {
    const commit = options.history.find((c) => c.sha === pulls[1]);
    if (!commit) return [422, { message: "No commit found for SHA" }];
    return [200, commit.pulls.map((p) => ({ number: p.number, title: p.title, user: { login: p.login } }))];
  }
  return [404, { message: "Not Found" }];
}

function comparison(history: FakeCommit[], base: string, head: string): [number, unknown] {
  const from = history.findIndex((c) => c.sha === base);
  const to = history.findIndex((c) => c.sha === head);
  if (from < 0 || to < 0) return [404, { message: "Not Found" }];
  const ahead = history.slice(from + 1, to + 1);
  const behindBy = Math.max(0, from - to);
  const status = from === to ? "identical" : to > from ? "ahead" : "behind";
  return [
    200,
    {
      status,
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      // GitHub lists at most 250 commits, oldest first, and always the newest.
      commits: ahead.slice(-250).map((c) => ({
        sha: c.sha,
        commit: { message: c.message, author: { name: c.name } },
        author: c.login ? { login: c.login } : null,
      })),
      files: [],
    },
  ];
}
