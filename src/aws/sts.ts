// STS: who the workflow's credentials are.
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { awsCall } from "./errors.js";

/** The account the workflow's credentials belong to. */
export async function callerAccount(sts: STSClient): Promise<string> {
  const identity = await awsCall("GetCallerIdentity", () => sts.send(new GetCallerIdentityCommand({})));
  if (!identity.Account) throw new Error("GetCallerIdentity returned no account");
  return identity.Account;
}
