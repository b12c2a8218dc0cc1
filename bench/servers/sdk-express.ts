/** Comparison (b): @line/bot-sdk's express middleware() with a handler that answers 200 at once. */
import { middleware } from "@line/bot-sdk";
import express from "express";

const app = express();
app.post(
  "/webhook",
  middleware({ channelSecret: process.env.LINE_CHANNEL_SECRET ?? "" }),
  (_request, response) => {
    response.status(200).json({ ok: true });
  },
);
app.get("/healthz", (_request, response) => {
  response.json({ ok: true });
});
app.listen(Number(process.env.PORT), "127.0.0.1");
