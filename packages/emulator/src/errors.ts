/** A LINE-shaped error answer: `{message, details?}` with the status LINE would use. */
export interface ErrorDetail {
  message: string;
  property: string;
}

export class LineErrorResponse extends Error {
  readonly status: number;
  readonly details: readonly ErrorDetail[];
  readonly extra: Record<string, unknown>;

  constructor(
    status: number,
    message: string,
    details: readonly ErrorDetail[] = [],
    extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "LineErrorResponse";
    this.status = status;
    this.details = details;
    this.extra = extra;
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.details.length > 0 ? { details: this.details } : {}),
      ...this.extra,
    };
  }
}

/** The request-body error LINE answers with when properties fail validation. */
export function invalidBody(details: readonly ErrorDetail[]): LineErrorResponse {
  return new LineErrorResponse(400, `The request body has ${details.length} error(s)`, details);
}

export const errorCodes = {
  invalidInput: "LF_EMULATOR_INVALID_INPUT",
  unknownUser: "LF_EMULATOR_UNKNOWN_USER",
  unknownChat: "LF_EMULATOR_UNKNOWN_CHAT",
  unknownMessage: "LF_EMULATOR_UNKNOWN_MESSAGE",
  notFound: "LF_EMULATOR_NOT_FOUND",
  hostNotAllowed: "LF_EMULATOR_HOST_NOT_ALLOWED",
  crossOrigin: "LF_EMULATOR_CROSS_ORIGIN",
  notJson: "LF_EMULATOR_NOT_JSON",
} as const;

export type EmulatorErrorCode = (typeof errorCodes)[keyof typeof errorCodes];

/** A control-API misuse (bad event input, unknown user); answered as 400/404 with the code. */
export class EmulatorError extends Error {
  readonly code: EmulatorErrorCode;
  readonly status: number;

  constructor(code: EmulatorErrorCode, message: string, status = 400) {
    super(message);
    this.name = "EmulatorError";
    this.code = code;
    this.status = status;
  }
}
