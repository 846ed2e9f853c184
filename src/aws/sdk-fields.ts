// Does the SDK in the bundle know every field we send? Its serializer walks the operation's schema and leaves out,
// without a word, any member the schema lacks: a field newer than the bundled SDK would never reach ECS, and the
// deploy would "succeed" without the strategy it asked for. So the request is walked against the same schema first.

import type { UpdateServiceCommandInput } from "@aws-sdk/client-ecs";
import { UpdateServiceRequest$ } from "@aws-sdk/client-ecs";
import { NormalizedSchema } from "@smithy/core/schema";

/** The dotted paths of the fields in `value` that `schema` has no member for. */
function unknownIn(schema: NormalizedSchema, value: unknown, path: string): string[] {
  if (value === undefined || value === null || schema.isDocumentSchema()) return [];
  if (schema.isListSchema() && Array.isArray(value)) {
    const member = schema.getValueSchema();
    return value.flatMap((item, i) => unknownIn(member, item, `${path}[${i}]`));
  }
  if (schema.isMapSchema() && typeof value === "object") {
    const member = schema.getValueSchema();
    return Object.entries(value).flatMap(([key, item]) => unknownIn(member, item, `${path}.${key}`));
  }
  if (!schema.isStructSchema() || typeof value !== "object") return [];
  const members = new Map(schema.structIterator());
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => {
    const at = path ? `${path}.${key}` : key;
    const member = members.get(key);
    return member ? unknownIn(member, item, at) : [at];
  });
}

/** Fields of an UpdateService request that the bundled SDK would drop. */
export function unknownUpdateServiceFields(input: Partial<UpdateServiceCommandInput>): string[] {
  return unknownIn(NormalizedSchema.of(UpdateServiceRequest$), input, "");
}
