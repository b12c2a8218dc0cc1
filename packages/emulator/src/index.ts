export {
  LINE_SPEC_NAMES,
  type LineSpec,
  type LineSpecName,
  lineSpecOperations,
  loadLineSpecs,
  parseLineSpec,
  type SpecOperation,
} from "./api/spec/line-specs.ts";
export {
  type BotIdentity,
  type ChannelOptions,
  defaults,
  type EmulatorConfig,
  type EmulatorOptions,
} from "./config.ts";
export type { ActivityEvent, ApiCall, ChatMessage, DeliveryAttempt } from "./core/activity.ts";
export type { FaultInput } from "./core/faults.ts";
export type { Group, Room, User } from "./core/world.ts";
export { createEmulator } from "./emulator.ts";
export type {
  ChannelInfo,
  ChannelState,
  ConfigPatch,
  Emulator,
  EmulatorState,
  EventBatchInputData,
  EventInputData,
  MembershipPlanInput,
  SentBatch,
  SentEvent,
  ShownRichMenu,
} from "./emulator-types.ts";
export { EmulatorError, errorCodes, LineErrorResponse } from "./errors.ts";
export { type EventType, eventTypes } from "./events/event-input.ts";
export { type EventKind, eventKinds } from "./events/event-kinds.ts";
export { requestBodyError, validateRequest } from "./validation/validate-request.ts";
export { validateResponse, validateSpecComponent } from "./validation/validate-response.ts";
