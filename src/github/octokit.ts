// I/O, in a chunk of its own: @actions/github's Octokit (with its HTTP stack) is loaded only when the lookup of what
// shipped runs, after the deploy's first AWS request, so the start-up path does not grow. Every request it sends goes
// through boundedFetch: a time limit per call, a cap on the answer's size, and the run's cancel.
import { defaults, GitHub } from "@actions/github/lib/utils";

export interface Bounds {
  /** One call, answer and body included. */
  callMs: number;
  /** An answer larger than this is cut off: the lookup never fills the runner's memory. */
  maxBytes: number;
  /** The run's cancel, and the lookup's own end (its budget, dispose). */
  signal: AbortSignal;
}

export type Get = (route: string, params: Record<string, string | number>) => Promise<unknown>;

/** GET through Octokit, at the run's API URL (GitHub Enterprise Server too), honouring the runner's proxy settings. */
export function octokitGet(apiUrl: string, token: string, bounds: Bounds): Get {
  const base = (defaults.request?.fetch ?? fetch) as typeof fetch;
  const octokit = new GitHub({
    baseUrl: apiUrl,
    userAgent: "ocf-deploy-action",
    request: { fetch: boundedFetch(base, bounds) },
  });
  // The token as GitHub documents it for REST (`Bearer`), set per request: Octokit's token auth would send `token …`.
  const headers = {
    accept: "application/vnd.github+json",
    authorization: `Bearer ${token}`,
    "x-github-api-version": "2022-11-28",
  };
  return async (route, params) => (await octokit.request(route, { ...params, headers })).data;
}

/** `base`, ended by the call's time limit or the signal, its body read up to `maxBytes`. */
export function boundedFetch(base: typeof fetch, { callMs, maxBytes, signal }: Bounds): typeof fetch {
  return async (url, init = {}) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${callMs / 1000} s`)), callMs);
    const stop = () => controller.abort(signal.reason ?? new Error("cancelled"));
    if (signal.aborted) stop();
    signal.addEventListener("abort", stop, { once: true });
    try {
      const response = await base(url, { ...init, signal: controller.signal });
      const body = await readCapped(response, maxBytes, controller);
      const empty = [101, 204, 205, 304].includes(response.status);
      return new Response(empty ? null : (body as BodyInit), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", stop);
    }
  };
}

async function readCapped(response: Response, maxBytes: number, controller: AbortController): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes, controller);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (let part = await reader?.read(); part && !part.done; part = await reader?.read()) {
    size += part.value.byteLength;
    if (size > maxBytes) {
      await reader?.cancel().catch(() => undefined);
      throw tooLarge(maxBytes, controller);
    }
    chunks.push(part.value);
  }
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number, controller: AbortController): Error {
  const error = new Error(`answered more than ${maxBytes / 1024 / 1024} MiB`);
  controller.abort(error);
  return error;
}
