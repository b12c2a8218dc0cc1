import { redactSecrets } from "@linefleet/log";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ActivityEvent } from "../core/activity.ts";
import type { Emulator } from "../emulator-types.ts";
import { EmulatorError, errorCodes } from "../errors.ts";

function jsonBody(request: FastifyRequest): unknown {
  if (!Buffer.isBuffer(request.body) || request.body.length === 0) return {};
  try {
    return JSON.parse(request.body.toString("utf8"));
  } catch {
    throw new EmulatorError(errorCodes.invalidInput, "the body is not JSON");
  }
}

/** Runs a control action, answering EmulatorErrors as `{code, message}` with their status. */
async function run(reply: FastifyReply, action: () => unknown, status = 200) {
  try {
    const result = await action();
    return reply.code(status).send(result ?? {});
  } catch (error) {
    if (error instanceof EmulatorError) {
      return reply.code(error.status).send({ code: error.code, message: error.message });
    }
    throw error;
  }
}

/**
 * An activity entry as the control API shows it: API calls with their secrets and tokens (issued
 * access tokens, client secrets, assertions) redacted as the logs redact them. Anyone who can
 * read the chat UI's log could otherwise call the Messaging API as the bot.
 */
function shown(event: ActivityEvent): ActivityEvent {
  return event.kind === "api-call" ? { kind: "api-call", data: redactSecrets(event.data) } : event;
}

/** The control API under `/emulator/`, for the chat UI, the trigger CLI and tests. */
export function registerControlApi(app: FastifyInstance, emulator: Emulator) {
  app.get("/emulator/state", (_q, reply) => run(reply, () => emulator.state()));
  app.post("/emulator/users", (q, reply) =>
    run(reply, () => emulator.addUser(jsonBody(q) as never)),
  );
  app.post("/emulator/groups", (q, reply) =>
    run(reply, () => emulator.addGroup(jsonBody(q) as never)),
  );
  app.post("/emulator/rooms", (q, reply) =>
    run(reply, () => emulator.addRoom(jsonBody(q) as never)),
  );
  app.post("/emulator/events", (q, reply) =>
    run(reply, () => emulator.sendEvent(jsonBody(q) as never), 202),
  );
  app.post("/emulator/events/batch", (q, reply) =>
    run(reply, () => emulator.sendEvents(jsonBody(q) as never), 202),
  );
  app.post("/emulator/verify", (_q, reply) => run(reply, () => emulator.verify()));
  app.get("/emulator/chats/:chatId/messages", (q, reply) =>
    run(reply, () => ({ messages: emulator.messages((q.params as { chatId: string }).chatId) })),
  );
  app.get("/emulator/deliveries", (_q, reply) => run(reply, () => emulator.deliveries()));
  app.get("/emulator/api-calls", (_q, reply) =>
    run(reply, () => emulator.apiCalls().map(redactSecrets)),
  );
  app.get("/emulator/users/:userId/richmenu", (q, reply) =>
    run(reply, () => {
      const { userId } = q.params as { userId: string };
      const channel = (q.query as { channel?: string }).channel;
      return { richMenu: emulator.richMenuOf(userId, channel) };
    }),
  );
  app.post("/emulator/users/:userId/richmenu/switch", (q, reply) =>
    run(reply, () => {
      const { userId } = q.params as { userId: string };
      const body = jsonBody(q) as { richMenuAliasId?: unknown; channel?: unknown };
      if (typeof body.richMenuAliasId !== "string") {
        throw new EmulatorError(errorCodes.invalidInput, "richMenuAliasId must be a string");
      }
      const channel = typeof body.channel === "string" ? body.channel : undefined;
      return emulator.switchRichMenu(userId, body.richMenuAliasId, channel);
    }),
  );
  app.get("/emulator/richmenus/:richMenuId/image", (q, reply) =>
    run(reply, () => {
      const { richMenuId } = q.params as { richMenuId: string };
      const image = emulator.richMenuImage(richMenuId, (q.query as { channel?: string }).channel);
      if (!image) throw new EmulatorError(errorCodes.notFound, `no image for ${richMenuId}`, 404);
      // A menu's image never changes once uploaded (LINE refuses a second upload).
      reply.header("content-type", image.contentType);
      reply.header("cache-control", "private, max-age=3600, immutable");
      return image.bytes;
    }),
  );
  app.post("/emulator/memberships", (q, reply) =>
    run(reply, () => emulator.addMembershipPlan(jsonBody(q) as never)),
  );
  app.post("/emulator/memberships/subscriptions", (q, reply) =>
    run(reply, () => emulator.joinMembership(jsonBody(q) as never)),
  );
  app.post("/emulator/faults", (q, reply) =>
    run(reply, () => emulator.addFault(jsonBody(q) as never)),
  );
  app.delete("/emulator/faults", (_q, reply) => run(reply, () => emulator.clearFaults()));
  app.get("/emulator/config", (_q, reply) => run(reply, () => emulator.config()));
  app.put("/emulator/config", (q, reply) =>
    run(reply, () => emulator.configure(jsonBody(q) as never)),
  );
  app.post("/emulator/reset", (_q, reply) => run(reply, () => emulator.reset()));

  app.get("/emulator/stream", (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    const write = (event: ActivityEvent) => raw.write(`data: ${JSON.stringify(shown(event))}\n\n`);
    write({ kind: "state", data: emulator.state() });
    const unsubscribe = emulator.subscribe(write);
    // Comments keep proxies and browsers from closing an idle stream.
    const ping = setInterval(() => raw.write(": ping\n\n"), 15_000);
    request.raw.on("close", () => {
      clearInterval(ping);
      unsubscribe();
    });
  });
}
