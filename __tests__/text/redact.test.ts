// What a crashing app prints that must not reach the job log, the annotation or the summary.
import { describe, expect, it } from "vitest";
import { redact, secretName } from "../../src/text/redact.js";

describe("redact", () => {
  it.each([
    [
      "sqlalchemy.exc.OperationalError: could not connect to postgresql://app:Wq7%21pX9z@db.internal:5432/app",
      "sqlalchemy.exc.OperationalError: could not connect to postgresql://app:***@db.internal:5432/app",
    ],
    ["Error: connect ECONNREFUSED redis://:hunter2@cache:6379", "Error: connect ECONNREFUSED redis://:***@cache:6379"],
    ["DB_PASSWORD=hunter2 LOG_LEVEL=debug", "DB_PASSWORD=*** LOG_LEVEL=debug"],
    ['config {"api_key": "k-12ab", "region": "us-east-1"}', 'config {"api_key": "***", "region": "us-east-1"}'],
    ["GET /callback?code=1&token=abc.def&state=x", "GET /callback?code=1&token=***&state=x"],
    ["stripe secret: sk_live_51Habc", "stripe secret: ***"],
    ['db {"password": "two words here", "pool": 5}', 'db {"password": "***", "pool": 5}'],
    ["{'pass': 'hunter2', 'pw': 'x'}", "{'pass': '***', 'pw': '***'}"],
    ["SENTRY_DSN=https://abc@o1.ingest.sentry.io/2", "SENTRY_DSN=***"],
    ["Authorization: Basic YXBwOmh1bnRlcjI=", "Authorization: Basic ***"],
    [
      "upstream said 401 for Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "upstream said 401 for Bearer ***",
    ],
    ["using credentials AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "using credentials *** ***"],
    ["webhook hmac 5f4dcc3b5aa765d61d8327deb882cf99e3b0c44298fc1c149afbf4c8", "webhook hmac ***"],
  ])("masks %s", (line, masked) => {
    expect(redact(line)).toBe(masked);
  });

  it.each([
    "Listening on 0.0.0.0:80",
    'File "/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py", line 1967, in _exec_single_context',
    "pulled 879613780019.dkr.ecr.us-east-1.amazonaws.com/app@sha256:3b5f3a1d0e9c8b7a6f5e4d3c2b1a09f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2",
    "request 123e4567-e89b-12d3-a456-426614174000 done in 12 ms",
    "AccessDeniedException: not authorized to perform: secretsmanager:GetSecretValue on resource: app/db",
    "Error: DATABASE_URL is not set",
  ])("leaves %s alone", (line) => {
    expect(redact(line)).toBe(line);
  });

  it("tells secret-looking names from others", () => {
    for (const name of ["DB_PASSWORD", "api-key", "SESSION_SECRET", "GITHUB_TOKEN", "SENTRY_DSN", "pw", "STRIPE_KEY"]) {
      expect(secretName(name)).toBe(true);
    }
    for (const name of ["LOG_LEVEL", "NODE_ENV", "PORT", "REDIS_HOST", "CACHE_KEY_PREFIX"])
      expect(secretName(name)).toBe(false);
  });
});
