/** A real Redis for tests, which a test may stop and start again on the same port. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Stops the server (connections are refused) without losing what AOF persisted. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops it for good and deletes its data. */
  close(): Promise<void>;
}

export interface StartRedisOptions {
  /** Persist every write (AOF, fsync always), so a restart keeps acknowledged data. */
  appendOnly?: boolean;
}
