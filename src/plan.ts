// Inputs → what to deploy: the validated config and one image per container. No AWS calls here,
// so every input and config problem is reported before anything is sent.
import * as path from "node:path";
import { type Config, type LoadedConfig, loadConfigFile } from "./config/index.js";
import { type Problem, ProblemsError } from "./errors.js";
import { type ImageMap, resolveImages } from "./images.js";
import type { Inputs } from "./inputs.js";

export interface Plan {
  config: Config;
  images: ImageMap;
  locate: LoadedConfig["locate"];
}

export function readPlan(inputs: Pick<Inputs, "config" | "images" | "workspace">): Plan {
  const file = path.resolve(inputs.workspace, inputs.config);
  // Annotations want the path relative to the repository, as the user wrote it.
  const { config, locate } = loadConfigFile(file, inputs.config);
  const images = withLocations(locate, () => resolveImages(inputs.images, config));
  return { config, images, locate };
}

/** Runs `work`; problems it throws that name a config key get that key's place in the file. */
export async function withLocationsAsync<T>(locate: Plan["locate"], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw located(error, locate);
  }
}

function withLocations<T>(locate: Plan["locate"], work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw located(error, locate);
  }
}

function located(error: unknown, locate: Plan["locate"]): unknown {
  if (!(error instanceof ProblemsError)) return error;
  const place = (p: Problem): Problem => {
    const location = p.location ?? (p.key ? locate(p.key) : undefined);
    return location ? { ...p, location } : p;
  };
  error.problems.splice(0, error.problems.length, ...error.problems.map(place));
  return error;
}
