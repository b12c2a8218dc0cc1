export type { CheckResult, CheckStatus, Finding } from "./check.ts";
export type { ConfigSchema } from "./checks/config.ts";
export { checkRedis } from "./checks/redis.ts";
export { checkEndpointTls } from "./checks/tls.ts";
export { formatResults, hasFailure } from "./format.ts";
export { type DoctorChannel, type DoctorOptions, runDoctor } from "./run-doctor.ts";
export { judgeChain, judgeValidity } from "./tls/chain.ts";
export { parsePemBundle, publicRootCertificates } from "./tls/public-roots.ts";
