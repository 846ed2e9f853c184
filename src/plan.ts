// Inputs → what to deploy: the validated config and one image per container. No AWS calls here,
// so every input and config problem is reported before anything is sent.
import * as path from "node:path";
import { type Config, loadConfigFile } from "./config/index.js";
import type { Locate } from "./errors.js";
import { type ImageMap, resolveImages } from "./images.js";
import type { Inputs } from "./inputs.js";

export interface Plan {
  config: Config;
  images: ImageMap;
  locate: Locate;
}

export function readPlan(inputs: Pick<Inputs, "config" | "images" | "workspace">): Plan {
  const file = path.resolve(inputs.workspace, inputs.config);
  // Annotations want the path relative to the repository, as the user wrote it.
  const { config, locate } = loadConfigFile(file, inputs.config);
  const images = resolveImages(inputs.images, config, locate);
  return { config, images, locate };
}
