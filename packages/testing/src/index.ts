// The bot test kit: a bot driven as a conversation through the LINE emulator and the real pipeline
// (docs/writing-bots.md), and event factories for lower-level tests.
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
export { waitForIdle } from "./idle.ts";
export { waitFor } from "./wait-for.ts";
