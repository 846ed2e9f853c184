// TOML text (and the files it extends) → validated, typed Config. Everything else imports from here.

export { escapeInvisible, hasInvisible } from "./keys.js";
export type { LayerOptions, ReadFile } from "./layers.js";
export { type LoadedConfig, loadConfigFiles, loadConfigText, parseConfig } from "./load.js";
export type { Config, ContainerConfig, HealthCheckConfig, PortConfig } from "./schema.js";
export { ACTION_TAG_PREFIX, configJsonSchema, requiredKeys } from "./schema.js";
export {
  earlySuccessIssues,
  type LifecycleHookConfig,
  STAGED_STRATEGIES,
  type Strategy,
  strategyIssues,
} from "./strategy.js";
export { suggestKey } from "./suggest.js";
export { firstInvalidUtf8 } from "./utf8.js";
