// TOML text (and the files it extends) → validated, typed Config. Everything else imports from here.

export type { LayerOptions, ReadFile } from "./layers.js";
export { type LoadedConfig, loadConfigFiles, loadConfigText, parseConfig } from "./load.js";
export type { Config, ContainerConfig, HealthCheckConfig, PortConfig } from "./schema.js";
export { configJsonSchema, requiredKeys } from "./schema.js";
