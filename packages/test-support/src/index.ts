// linefleet's own test infrastructure, not published: the bot test kit and the helpers under it
// (from @linefleet/testing), and what only linefleet's tests and benchmarks need — a Redis Cluster,
// test certificates, a LINE API recorder, metrics scrapes, a round-robin proxy.
export * from "@linefleet/testing";
export * from "@linefleet/testing/internals";
export {
  createTestPki,
  type LeafOptions,
  type TestCertificate,
  type TestPki,
} from "./certificates.ts";
export {
  type LineRecorder,
  type LineRecorderOptions,
  type RecordedCall,
  type ScriptedAnswer,
  startLineRecorder,
} from "./line-recorder.ts";
export { readScrape, type Scrape, scrape } from "./metrics.ts";
export {
  CLUSTER_NODE_TIMEOUT_MS,
  type ClusterNode,
  startRedisCluster,
  type TestRedisCluster,
} from "./redis-cluster.ts";
export { packRelease, releaseTarballs } from "./release.ts";
export { repoRoot } from "./repo-root.ts";
export { type RoundRobin, startRoundRobin } from "./round-robin.ts";
