export {
  type BotAnswer,
  type BotAnswers,
  BotFailedError,
  type BotTest,
  type BotTestOptions,
  type SessionOf,
  startBotTest,
  type TestClock,
  type TestUser,
} from "./bot-test.ts";
export {
  createTestPki,
  type LeafOptions,
  type TestCertificate,
  type TestPki,
} from "./certificates.ts";
export {
  type FixtureEvent,
  makeBotUserId,
  makeEnvelope,
  makeEvent,
  makeGroupId,
  makeRoomId,
  makeTextMessageEvent,
  makeUserId,
  makeWebhookEventId,
  signedWebhook,
} from "./events.ts";
export { freePort, onFreePort, PortTakenError, saysPortInUse } from "./free-port.ts";
export { waitForIdle } from "./idle.ts";
export {
  type LineRecorder,
  type LineRecorderOptions,
  type RecordedCall,
  type ScriptedAnswer,
  startLineRecorder,
} from "./line-recorder.ts";
export { readScrape, type Scrape, scrape } from "./metrics.ts";
export { type AppProcess, repoRoot, startApp, waitForHttp } from "./process.ts";
export { queueIsIdle } from "./queue-state.ts";
export {
  CLUSTER_NODE_TIMEOUT_MS,
  type ClusterNode,
  startRedisCluster,
  type TestRedisCluster,
} from "./redis-cluster.ts";
export {
  type LocalRedisOptions,
  type LocalTestRedis,
  type StartRedisOptions,
  startLocalRedisServer,
  startRedis,
  type TestRedis,
} from "./redis-server.ts";
export { type RoundRobin, startRoundRobin } from "./round-robin.ts";
export {
  nodeFlagsOf,
  type Stack,
  type StackOptions,
  startStack,
  workerMetricsUrl,
} from "./stack.ts";
export { waitFor } from "./wait-for.ts";
