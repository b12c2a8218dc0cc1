// What the test kit runs on — processes, free ports, Redis, the stack of ingress and workers —
// for linefleet's own tests (through its internal test support). Not a stable API.
export { freePort, onFreePort, PortTakenError, saysPortInUse } from "./free-port.ts";
export { type AppProcess, startApp, waitForHttp } from "./process.ts";
export { queueIsIdle } from "./queue-state.ts";
export {
  type LocalRedisOptions,
  type LocalTestRedis,
  startLocalRedisServer,
} from "./redis-server.ts";
export { type Stack, type StackOptions, startStack, workerMetricsUrl } from "./stack.ts";
export { startRedis } from "./start-redis.ts";
export type { StartRedisOptions, TestRedis } from "./test-redis.ts";
