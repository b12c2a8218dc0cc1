/** Comparison (a): a bare Fastify route answering 200, Fastify's defaults otherwise. */
import Fastify from "fastify";

const app = Fastify();
app.post("/webhook", async (_request, reply) => reply.code(200).send({ ok: true }));
app.get("/healthz", async () => ({ ok: true }));
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
