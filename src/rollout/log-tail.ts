// I/O: a container's log stream, followed as it is written. Each read returns the lines since the last one (from
// GetLogEvents' forward token), redacted (text/redact.ts says why) and meant to be printed as untrusted. Reading logs
// is a courtesy: an error is said once, never a failure of the task it belongs to.
import { logEventsAfter } from "../aws/logs.js";
import type { LogStream } from "../plan/task-definition/awslogs.js";
import { lineRedactor } from "../text/redact.js";
import { awsErrorName, call, Throttled } from "./calls.js";
import { callOptions, type Io } from "./io.js";
import { logsClientFor } from "./logs.js";

/** Pages per read: 10 000 events at most per page, so a chatty command cannot hold a look for long. */
const MAX_PAGES = 5;

export class LogTail {
  private token: string | undefined;
  private readonly redact = lineRedactor();
  private readonly notes: string[] = [];
  /** set once reading failed for good (no access, another region without a client) */
  private given = false;
  private throttledOnce = false;

  constructor(
    private readonly io: Io,
    private readonly where: LogStream,
  ) {}

  /** What happened to the reading since the last call, said once each. */
  takeNotes(): string[] {
    return this.notes.splice(0);
  }

  async read(): Promise<string[]> {
    if (this.given) return [];
    const client = await logsClientFor(this.io.clients, this.where.region);
    if (!client) return this.giveUp(`logs in ${this.where.region} are not read: ${this.place()}`);
    const lines: string[] = [];
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const out = await call(this.io.counter, "GetLogEvents", () =>
          logEventsAfter(client, this.where, this.token, callOptions(this.io)),
        );
        const same = out.nextToken === this.token;
        this.token = out.nextToken ?? this.token;
        lines.push(...out.messages.map((message) => this.redact(message.trimEnd())));
        if (same || out.messages.length === 0) break;
      }
    } catch (error) {
      // The stream appears with the container's first line: until then there is nothing to read.
      if (awsErrorName(error) === "ResourceNotFoundException") return lines;
      // A cancel aborts the call in flight: no news about the logs, the follower says what the cancel did.
      if (this.io.signal?.aborted) return lines;
      if (error instanceof Throttled) return this.throttled(error, lines);
      return [...lines, ...this.giveUp(`could not read the logs (${this.place()}): ${(error as Error).message}`)];
    }
    return lines;
  }

  private throttled(error: Throttled, lines: string[]): string[] {
    if (!this.throttledOnce) this.notes.push(error.note);
    this.throttledOnce = true;
    return lines;
  }

  private giveUp(note: string): string[] {
    this.given = true;
    this.notes.push(note);
    return [];
  }

  private place(): string {
    return `${this.where.group} ${this.where.stream}`;
  }
}
