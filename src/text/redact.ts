// Pure: masks what looks like a secret in a line an application wrote. The container's last log lines go into the
// job log, the error annotation and the job summary, which everyone with read access to the repository sees. The
// runner masks only secrets it knows, and the app's secrets come from SSM inside ECS: the runner never sees their
// values (by design), so GitHub cannot mask them. A crashing app that prints its config or a connection string
// would publish them. These patterns over-mask (a 40-character commit hash, a task id) rather than under-mask.

const MASK = "***";

/** Names that say their value is a secret: `DB_PASSWORD`, `api-key`, `pass`, `pw`, `SENTRY_DSN`, `auth_token`. */
const SECRET_KEY =
  /[\w.-]*(?:passw(?:or)?d|pass(?:phrase)?|pwd|pw|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|dsn)[\w.-]*/;

/**
 * Pure: is this a name (an environment variable) whose value must not be shown? Besides the names above, any name
 * ending in KEY (`STRIPE_KEY`, `SIGNING_KEY`): too broad for free text (`key: 42`), right for variable names.
 */
export function secretName(name: string): boolean {
  return new RegExp(`^${SECRET_KEY.source}$`, "i").test(name) || /(^|[_.-])key$/i.test(name) || SECRET_PART.test(name);
}

/**
 * Parts of a variable's name that say its value is a credential, though no word above does: `BASIC_AUTH`,
 * `AUTH_HEADER`, `JWT`, `LICENSE` (a license key), `SESSION_COOKIE`. Names only: `author` or `license: MIT` in prose are
 * no secret.
 */
const SECRET_PART = /(^|[_.-])(auth|jwt|licen[cs]e|cookie)([_.-]|$)|basic[_.-]?auth|session[_.-]?(cookie|id|key)/i;

/** Cookie attributes: the only `name=value` pairs of a Set-Cookie header that are not a cookie's value. */
const COOKIE_ATTRIBUTES = new Set(["path", "domain", "expires", "max-age", "samesite", "priority", "partitioned"]);

function maskCookies(key: string, pairs: string): string {
  const masked = pairs.replace(/([^=;,\s]+)=([^;,]*)/g, (pair, name: string) =>
    COOKIE_ATTRIBUTES.has(name.toLowerCase()) ? pair : `${name}=${MASK}`,
  );
  return `${key}${masked}`;
}

/** `DB_PASSWORD hunter2`: an environment-style name (upper case) that says secret, its value after a space. */
function maskSpacedValue(match: string, name: string, space: string, value: string): string {
  if (value === MASK || !secretName(name)) return match;
  return `${name}${space}${MASK}`;
}

/** Each rule: a pattern and what replaces a match. Order matters: specific shapes before the catch-all runs. */
const RULES: [RegExp, string | ((match: string, ...groups: string[]) => string)][] = [
  // A private key written on one line (or a message holding the whole block): redactLines handles one per line.
  [
    /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g,
    `-----BEGIN $1PRIVATE KEY----- ${MASK}`,
  ],
  // Cookie: a=1; b=2 / Set-Cookie: session=abc; Path=/; HttpOnly: every cookie's value, the attributes kept.
  [
    /\b((?:set-)?cookie["']?\s*[:=]\s*["']?)([^\r\n"']*)/gi,
    (_m, key: string, pairs: string) => maskCookies(key, pairs),
  ],
  // Slack tokens: xoxb-…, xoxp-…, xoxa-…, xoxr-…, xoxs-…
  [/\bxox[abprs]-[A-Za-z0-9-]+/g, MASK],
  // scheme://user:password@host → scheme://user:***@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]+@/gi, `$1:${MASK}@`],
  // Authorization: Basic dXNlcjpwYXNz / "authorization": "Bearer …"
  [
    /\b(authorization["']?\s*[:=]\s*["']?)(?:(Bearer|Basic|Token|Digest|AWS4-HMAC-SHA256)\s+)?[^\s"',;]+/gi,
    (_m, key: string, scheme?: string) => `${key}${scheme ? `${scheme} ` : ""}${MASK}`,
  ],
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${MASK}`],
  // password=…, DB_PASSWORD: …, "api_key": "…", {"pass": "two words"}, token=…&  (the key is kept: it tells what
  // was there). A quoted value is masked to its closing quote, spaces and all; a bare one to the next separator.
  [
    new RegExp(
      `\\b(?!secretsmanager\\b)(${SECRET_KEY.source})(["']?\\s*[=:]\\s*)(?:"[^"]*"|'[^']*'|[^\\s"'&,;]+)`,
      "gi",
    ),
    (match: string, key: string, sep: string) => {
      const quote = /^["']/.exec(match.slice(key.length + sep.length))?.[0] ?? "";
      return `${key}${sep}${quote}${MASK}${quote}`;
    },
  ],
  // In prose: "passphrase is hunter2", "the password was 'x y'", "api key: abc" (the word kept, the value masked).
  [
    /\b(pass(?:word|phrase)|secret|api[ _-]?key)(\s+(?:is|was)\s+|\s*:\s+)("[^"]*"|'[^']*'|[^\s"',;]+)/gi,
    (_m, word: string, sep: string) => `${word}${sep}${MASK}`,
  ],
  // DB_PASSWORD hunter2 (a name and its value, as `env` or a config dump prints them without `=`).
  [/\b([A-Z][A-Z0-9]*(?:[_.-][A-Z0-9]+)*)([ \t]+)([^\s"'&,;=:]+)/g, maskSpacedValue],
  // AWS access key ids: the key's other half is usually printed next to them.
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, MASK],
  // Long random-looking runs: base64 (AWS secret access keys, API keys, JWT parts, session tokens) or hex.
  [
    /(sha256:)?[A-Za-z0-9+/_-]{32,}={0,2}/g,
    (match: string, digest?: string) => (!digest && random(match) ? MASK : match),
  ],
];

/**
 * Base64 of random bytes mixes upper case, lower case and digits; hex keys are all hex. A file path or a
 * package name (`/usr/lib/python3/site-packages`) is neither, and an image digest is no secret.
 */
function random(run: string): boolean {
  const mixed = /[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run);
  return mixed || (/^[0-9a-f]+$/i.test(run) && /\d/.test(run));
}

export function redact(line: string): string {
  let text = line;
  for (const [pattern, replacement] of RULES) {
    text = text.replace(pattern, replacement as (match: string, ...groups: string[]) => string);
  }
  return text;
}

const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----/;

/**
 * redact() over lines that arrive one at a time (a container's log events): a private key block spans lines, so
 * every line from its BEGIN line to its END line is masked, and a block never closed is masked to the last line.
 */
export function redactLines(lines: readonly string[]): string[] {
  return lines.map(lineRedactor());
}

/**
 * redactLines for lines that keep arriving in batches (a log followed as it is written): the returned function
 * remembers a key block left open by one batch, and masks the next batch's lines until its END line.
 */
export function lineRedactor(): (line: string) => string {
  let open: string | undefined;
  return (line) => {
    if (open !== undefined) {
      const end = line.indexOf(`-----END ${open}PRIVATE KEY-----`);
      if (end < 0) return MASK;
      const tail = line.slice(end + `-----END ${open}PRIVATE KEY-----`.length);
      open = undefined;
      return `${MASK}${redact(tail)}`;
    }
    const begin = PEM_BEGIN.exec(line);
    if (begin && !line.includes(`-----END ${begin[1]}PRIVATE KEY-----`, begin.index)) {
      open = begin[1] ?? "";
      return `${redact(line.slice(0, begin.index))}${begin[0]} ${MASK}`;
    }
    return redact(line);
  };
}
