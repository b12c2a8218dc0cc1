export {
  type ErrorCode,
  type ErrorCodeEntry,
  errorCodes,
  hasErrorCode,
} from "./error-codes.ts";
export { TimeoutError, withTimeout } from "./with-timeout.ts";
