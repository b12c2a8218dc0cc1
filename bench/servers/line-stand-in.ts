/**
 * The LINE stand-in of the benchmarks: the test kit's LINE recorder, run as its own process on
 * PORT so that its CPU is not counted in the process measured. It answers every call (reply,
 * push, /healthz) as LINE answers a success.
 */
import { startLineRecorder } from "@linefleet/test-support";

await startLineRecorder({ port: Number(process.env.PORT) });
