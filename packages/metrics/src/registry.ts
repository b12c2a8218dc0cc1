import { collectDefaultMetrics, Registry } from "prom-client";

/** A registry of its own per process, with prom-client's default process metrics in it. */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
