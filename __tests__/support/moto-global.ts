// Starts one moto server for the test run and stops it after, so `npm test` needs nothing running.
import type { TestProject } from "vitest/node";
import { startMoto } from "../../scripts/lib/moto.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const moto = await startMoto();
  project.provide("motoEndpoint", moto.endpoint);
  return moto.stop;
}
