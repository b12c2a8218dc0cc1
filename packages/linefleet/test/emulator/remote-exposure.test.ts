import { ConfigError, localDev } from "@linefleet/config";
import { describe, expect, it } from "vitest";
import { localCredentials } from "../../src/emulator/env.ts";
import { checkRemoteExposure, isLoopback } from "../../src/emulator/remote-exposure.ts";

describe("the emulator's exposure check", () => {
  it("knows loopback addresses from the rest", () => {
    for (const host of ["127.0.0.1", "127.4.5.6", "localhost", "LOCALHOST", "::1", "[::1]"]) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of ["0.0.0.0", "::", "[::]", "192.168.1.5", "emulator", "127.0.0.1.example"]) {
      expect(isLoopback(host), host).toBe(false);
    }
  });

  it("lets the development secrets go anywhere, and a real one only on loopback or when told", () => {
    const check =
      (host: string, secrets: string[], allowRemote = false) =>
      () =>
        checkRemoteExposure({ host, secrets, secretVariable: "CHANNELS_FILE", allowRemote });
    const dev = [localCredentials.channelSecret, localDev.channelSecret];
    expect(check("0.0.0.0", dev)).not.toThrow();
    expect(check("127.0.0.1", ["a-real-secret"])).not.toThrow();
    expect(check("0.0.0.0", ["a-real-secret"], true)).not.toThrow();
    // One real secret among several channels is enough to refuse.
    expect(check("0.0.0.0", [...dev, "a-real-secret"])).toThrow(ConfigError);
    expect(check("0.0.0.0", ["a-real-secret"])).toThrow(
      /CHANNELS_FILE.*EMULATOR_ALLOW_REMOTE=true/s,
    );
    expect(check("0.0.0.0", ["a-real-secret"])).not.toThrow(/a-real-secret/);
  });
});
