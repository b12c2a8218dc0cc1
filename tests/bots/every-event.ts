import { Readable } from "node:stream";
import { createBot } from "@linefleet/bot";

async function size(stream: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

/** Answers every LINE event type with a line that proves what it received. */
export const bot = createBot()
  .on("message", async (ctx) => {
    const { message } = ctx.event;
    switch (message.type) {
      case "text":
        return ctx.reply(`text: ${message.text}${message.mention ? " (mentioned)" : ""}`);
      case "image":
      case "video":
      case "audio":
      case "file": {
        const content = await ctx.line.blob.getMessageContent(message.id);
        return ctx.reply(`${message.type}: ${await size(Readable.from(content))} bytes`);
      }
      case "location":
        return ctx.reply(`location: ${message.latitude},${message.longitude}`);
      case "sticker":
        return ctx.reply(`sticker: ${message.packageId}/${message.stickerId}`);
      default:
        return ctx.reply(`message: ${(message as { type: string }).type}`);
    }
  })
  .on("messageEdited", (ctx) =>
    ctx.reply(`edited: ${(ctx.event.message as { text?: string }).text}`),
  )
  .on("postback", (ctx) =>
    ctx.reply(
      `postback: ${ctx.event.postback.data} ${JSON.stringify(ctx.event.postback.params ?? {})}`,
    ),
  )
  .on("follow", (ctx) => ctx.reply("follow: welcome"))
  .on("join", (ctx) => ctx.reply("join: hello everyone"))
  .on("memberJoined", (ctx) => ctx.reply(`memberJoined: ${ctx.event.joined.members.length}`))
  .on("memberLeft", (ctx) => ctx.push(`memberLeft: ${ctx.event.left.members.length}`))
  .on("unsend", (ctx) => ctx.push(`unsend: ${ctx.event.unsend.messageId}`))
  .on("unfollow", (ctx) => ctx.log.info({ type: "unfollow" }, "handled"))
  .on("leave", (ctx) => ctx.log.info({ type: "leave" }, "handled"));
