// TOML text → validated, typed Config. Everything else imports from here.

export { type LoadedConfig, loadConfigText, parseConfig } from "./load.js";
export type { Config, ContainerConfig, HealthCheckConfig } from "./schema.js";
export { configJsonSchema } from "./schema.js";
