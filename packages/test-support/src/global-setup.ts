import { startRedis } from "@linefleet/testing/internals";
import type {} from "vitest";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** One Redis for the integration run; tests isolate themselves by key prefix, never by FLUSHALL. */
export default async function setup(project: TestProject) {
  const redis = await startRedis();
  project.provide("redisUrl", redis.url);
  return () => redis.close();
}
