/** A mistake of the person running the command: printed as it is, without a stack, exit code 1. */
export class UsageError extends Error {
  override name = "UsageError";
}
