/**
 * What the runtime that runs a bot adds to every context for the bot's own use. Empty here: the
 * bot package knows no database. The runtime declares its services by augmenting this interface,
 * as Fastify's decorators do (`declare module "@linefleet/bot" { interface BotServices { … } }`);
 * @linefleet/delivery adds `redis` and `keyPrefix`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the runtime's declaration merging
export interface BotServices {}
