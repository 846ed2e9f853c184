// What a crashing app prints that must not reach the job log, the annotation or the summary.
import { describe, expect, it } from "vitest";
import { redact, redactLines, secretName } from "../../src/text/redact.js";

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

describe("shapes of secrets apps print", () => {
  it.each([
    ["slack: posting with xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp", "slack: posting with ***"],
    ["SLACK_WEBHOOK token xoxp-2-22-222-abcdef0123 failed", "SLACK_WEBHOOK token *** failed"],
    ["user xoxa-2-abc, refresh xoxr-9-def, legacy xoxs-1-ghi", "user ***, refresh ***, legacy ***"],
  ])("masks Slack tokens: %s", (line, masked) => {
    expect(redact(line)).toBe(masked);
  });

  it.each([
    ["Cookie: session=4f9a1c; theme=dark", "Cookie: session=***; theme=***"],
    [
      "< Set-Cookie: sid=s%3Aabc.def; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly; Secure",
      "< Set-Cookie: sid=***; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly; Secure",
    ],
    ['headers {"cookie": "csrftoken=abc; sessionid=xyz"}', 'headers {"cookie": "csrftoken=***; sessionid=***"}'],
  ])("masks cookie values, keeps the attributes: %s", (line, masked) => {
    expect(redact(line)).toBe(masked);
  });

  it.each([
    ["DB_PASSWORD hunter2", "DB_PASSWORD ***"],
    ["env: API_TOKEN\tabc123 LOG_LEVEL debug", "env: API_TOKEN\t*** LOG_LEVEL debug"],
    ["STRIPE_SECRET_KEY   sk_live_xyz", "STRIPE_SECRET_KEY   ***"],
  ])("masks a secret-named variable whose value follows a space: %s", (line, masked) => {
    expect(redact(line.replace("\\t", "\t"))).toBe(masked.replace("\\t", "\t"));
  });

  it.each([
    ["passphrase is hunter2", "passphrase is ***"],
    ["the password was 'two words'", "the password was ***"],
    ["Your API key: sk-abc123 was rotated", "Your API key: *** was rotated"],
  ])("masks a secret said in prose: %s", (line, masked) => {
    expect(redact(line)).toBe(masked);
  });

  it("tells the names of credentials without a secret word: BASIC_AUTH, JWT, LICENSE, SESSION_COOKIE", () => {
    for (const name of [
      "BASIC_AUTH",
      "JWT",
      "LICENSE",
      "SESSION_COOKIE",
      "AUTH_HEADER",
      "NEWRELIC_LICENSE_KEY",
      "jwt.secret",
    ]) {
      expect(secretName(name)).toBe(true);
    }
    for (const name of ["AUTHOR", "OAUTH_URL", "LOG_LEVEL"]) {
      expect(secretName(name)).toBe(false);
    }
  });

  it("leaves prose about passwords alone (only upper-case variable names take a spaced value)", () => {
    const line = 'FATAL: password authentication failed for user "app"';
    expect(redact(line)).toBe(line);
    expect(redact("LOG_LEVEL debug PORT 8080")).toBe("LOG_LEVEL debug PORT 8080");
  });

  it("masks a private key block that arrives one log line at a time, BEGIN to END", () => {
    const lines = [
      "loading key:",
      "-----BEGIN RSA PRIVATE KEY-----",
      "MIIEowIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aumSgGJ2Lq9zcQy7hq8V3w7bHx",
      "ZJ8mNcWWp2ewu9Q1ebSg1a1tOv6nuAqE0X4RZ7Wm2nYAIv3o3VZ6j0V8f5w==",
      "-----END RSA PRIVATE KEY----- loaded",
      "listening on :80",
    ];
    expect(redactLines(lines)).toEqual([
      "loading key:",
      "-----BEGIN RSA PRIVATE KEY----- ***",
      "***",
      "***",
      "*** loaded",
      "listening on :80",
    ]);
  });

  it("masks a block never closed to the last line, and a block written on one line", () => {
    expect(redactLines(["-----BEGIN OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAA", "truncated"])).toEqual([
      "-----BEGIN OPENSSH PRIVATE KEY----- ***",
      "***",
      "***",
    ]);
    expect(redact("key=-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY----- ok")).toBe(
      "key=-----BEGIN PRIVATE KEY----- *** ok",
    );
    expect(redact("pem -----BEGIN EC PRIVATE KEY----- MHcCAQEEIBk -----END EC PRIVATE KEY----- done")).toBe(
      "pem -----BEGIN EC PRIVATE KEY----- *** done",
    );
  });
});
