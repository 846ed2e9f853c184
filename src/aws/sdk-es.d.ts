// The SDK clients' ES module builds (dist-es), which the bundle imports instead of the CommonJS ones (dist-cjs):
// webpack, inside ncc, skips the commands and shapes the action never uses only in the ES build, which keeps dist/
// within its budget (see docs/benchmarks.md). Same API as the package root, so the types come from there.
declare module "@aws-sdk/client-ecs/dist-es/index.js" {
  export * from "@aws-sdk/client-ecs";
}
declare module "@aws-sdk/client-ecr/dist-es/index.js" {
  export * from "@aws-sdk/client-ecr";
}
declare module "@aws-sdk/client-ssm/dist-es/index.js" {
  export * from "@aws-sdk/client-ssm";
}
declare module "@aws-sdk/client-sts/dist-es/index.js" {
  export * from "@aws-sdk/client-sts";
}
declare module "@aws-sdk/client-cloudwatch-logs/dist-es/index.js" {
  export * from "@aws-sdk/client-cloudwatch-logs";
}
declare module "@aws-sdk/client-elastic-load-balancing-v2/dist-es/index.js" {
  export * from "@aws-sdk/client-elastic-load-balancing-v2";
}
declare module "@aws-sdk/client-secrets-manager/dist-es/index.js" {
  export * from "@aws-sdk/client-secrets-manager";
}
declare module "@aws-sdk/client-ec2/dist-es/index.js" {
  export * from "@aws-sdk/client-ec2";
}
