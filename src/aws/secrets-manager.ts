// Secrets Manager: does each explicit secret exist? DescribeSecret answers with metadata only: the value is never read
// (no GetSecretValue anywhere in the action).
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SecretFound } from "../preflight/explicit-secrets.js";
import { AwsError, awsCall } from "./errors.js";

/** Whether the secret exists, and whether it is scheduled for deletion. */
export async function describeSecret(sm: SecretsManagerClient, secretId: string): Promise<SecretFound> {
  // Imported here: the Secrets Manager client is a chunk of its own, loaded only for an explicit secret.
  const { DescribeSecretCommand } = await import("@aws-sdk/client-secrets-manager");
  try {
    const out = await awsCall("DescribeSecret", () => sm.send(new DescribeSecretCommand({ SecretId: secretId })));
    return { exists: true, ...(out.DeletedDate ? { deletedAt: out.DeletedDate } : {}) };
  } catch (error) {
    const cause = error instanceof AwsError ? (error.cause as { name?: string }) : undefined;
    if (cause?.name === "ResourceNotFoundException") return { exists: false };
    throw error;
  }
}
