// Turns an AWS SDK error into a sentence a user can act on: the operation, AWS's own words, and
// for permission errors the IAM action to grant.

export interface AwsErrorLike {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const ACCESS_DENIED = /AccessDenied|UnauthorizedOperation|UnauthorizedException|not authorized/i;
const CREDENTIALS =
  /ExpiredToken|CredentialsProviderError|InvalidClientTokenId|UnrecognizedClientException|security token/i;

export function isAccessDenied(error: unknown): boolean {
  const e = error as AwsErrorLike;
  return ACCESS_DENIED.test(`${e?.name} ${e?.message}`);
}

export function isCredentialsError(error: unknown): boolean {
  const e = error as AwsErrorLike;
  return CREDENTIALS.test(`${e?.name} ${e?.message}`);
}

export function isThrottling(error: unknown): boolean {
  const e = error as AwsErrorLike;
  return /Throttl|TooManyRequests|RequestLimitExceeded|Rate exceeded/i.test(`${e?.name} ${e?.message}`);
}

/** The IAM action named in an AccessDenied message (`… not authorized to perform: ecs:UpdateService …`). */
export function missingPermission(message: string): string | undefined {
  return /perform:?\s+([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1];
}

/** `UpdateService failed: AccessDeniedException: … — grant ecs:UpdateService to …`. */
export function describeAwsError(operation: string, error: unknown): string {
  const e = error as AwsErrorLike;
  const name = e?.name && e.name !== "Error" ? `${e.name}: ` : "";
  const text = `${operation} failed: ${name}${e?.message ?? String(error)}`;
  if (isAccessDenied(error)) {
    const permission = missingPermission(e?.message ?? "");
    const grant = permission ? `grant ${permission}` : "grant the permission";
    return `${text} — ${grant} to the role this workflow assumes (README: IAM permissions)`;
  }
  if (isCredentialsError(error)) {
    return `${text} — the AWS credentials are missing, invalid or expired: check the configure-aws-credentials step`;
  }
  return text;
}

/** Runs one AWS call; on failure throws an Error whose message names the operation. */
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new AwsError(describeAwsError(operation, error), error);
  }
}

export class AwsError extends Error {
  override name = "AwsError";
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}
