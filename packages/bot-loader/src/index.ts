// How a bot module is loaded — by the worker, `linefleet dev` and the test kit alike, so a bot
// that passes its tests is the bot a worker runs — and any other module of the user's (rich menus).
export { type AnyBot, importUserModule, loadBotModule } from "./load-bot-module.ts";
