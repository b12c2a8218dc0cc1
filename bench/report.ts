/** Renders a run's results as Markdown, with the targets of the benchmark issue marked met or missed. */
import { type BurstResults, PER_WEBHOOK } from "./burst.ts";
import type { CostResults } from "./cost.ts";
import { type EndToEndResults, HARNESS } from "./end-to-end.ts";
import { FIXED_RATE, type IngressResults } from "./ingress.ts";
import { CONNECTIONS, type Machine, type SteadyResult } from "./lib.ts";
import type { MemoryResults } from "./redis-memory.ts";
import { type ReplicasResults, renderReplicas } from "./replicas.ts";
import { lineChart, stackedBarChart } from "./svg-plots.ts";

export interface Results {
  machine: Machine;
  quick: boolean;
  ingress?: IngressResults;
  cost?: CostResults;
  endToEnd?: EndToEndResults;
  burst?: BurstResults;
  memory?: MemoryResults;
  replicas?: ReplicasResults;
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const mark = (met: boolean) => (met ? "**met**" : "**missed**");
const int = (value: number) => Math.round(value).toLocaleString("en-US");

/**
 * A capacity step's CPU per answered event, the pipeline's (every process but the bench's own)
 * and the LINE side's (the bench's own process), and the cores all of it kept busy: CPU time over
 * the step's span, first webhook to last answer.
 */
function stepCpu(step: SteadyResult) {
  let pipelineMs = 0;
  let harnessMs = 0;
  for (const [name, used] of Object.entries(step.cpuMs)) {
    if (name === HARNESS) harnessMs += used;
    else pipelineMs += used;
  }
  const answered = Math.max(step.answered, 1);
  const spanMs = (step.answered / Math.max(step.answerRate, 1e-9)) * 1000;
  return {
    pipelineUs: (pipelineMs * 1000) / answered,
    harnessUs: (harnessMs * 1000) / answered,
    cores: (pipelineMs + harnessMs) / Math.max(spanMs, 1),
  };
}
const rateOrNone = (rate: number) =>
  rate > 0 ? `${int(rate)} events/s` : "below the lowest rate tried";

export function targets(r: Results) {
  const rows: Array<{ target: string; measured: string; met: boolean }> = [];
  const lf = r.ingress?.targets.find((t) => t.name === "linefleet");
  if (r.ingress && lf) {
    rows.push({
      target: "Ingress throughput ≥ 1.0× @line/bot-sdk middleware",
      measured: `${r.ingress.vsSdk.toFixed(2)}× (${r.ingress.vsNaive.toFixed(2)}× the naive pipeline's)`,
      met: r.ingress.vsSdk >= 1.0,
    });
    rows.push({
      target: "Ingress throughput ≥ 50% of bare Fastify",
      measured: `${(r.ingress.vsBare * 100).toFixed(0)}%`,
      met: r.ingress.vsBare >= 0.5,
    });
    rows.push({
      target: `Ingress p99 ack latency < 10 ms at ${int(FIXED_RATE)} req/s`,
      measured: `${ms(lf.fixed.p99)} ms`,
      met: lf.fixed.p99 < 10 && lf.fixed.failed === 0,
    });
  }
  if (r.cost) {
    rows.push({
      target: "CPU per event end to end ≤ 0.75× the naive pipeline's (stretch ≤ 0.5×)",
      measured: `${r.cost.vsNaive.toFixed(2)}× (${int(r.cost.totalUsPerEvent)} µs vs ${int(r.cost.naive.totalUsPerEvent)} µs)`,
      met: r.cost.vsNaive <= 0.75,
    });
  }
  if (r.endToEnd) {
    const c = r.endToEnd.capacity;
    rows.push({
      target: `Highest steady rate with p99 < 1 s, ${c.workers} workers ≥ 2× before (saturated at 500/s before: ≥ 1,000/s)`,
      measured:
        c.highestRate > 0 ? `${int(c.highestRate)} events/s` : "below the lowest rate tried",
      met: c.highestRate >= 1_000,
    });
  }
  if (r.memory) {
    rows.push({
      target:
        "Redis bytes per event ≤ 150 by `used_memory`, once its short-lived marks expired (261 before)",
      measured: `${int(r.memory.usedMemoryPerEvent)} B (${int(r.memory.retainedPerEvent)} B by \`MEMORY USAGE\` of the keys left)`,
      met: r.memory.usedMemoryPerEvent <= 150,
    });
  }
  if (r.burst) {
    const b = r.burst;
    rows.push({
      target: `${int(b.events)}-event burst drained with ${b.workers} workers, every answer by reply token, order kept`,
      measured: `${(b.drainMs / 1000).toFixed(1)} s, ${int(b.viaReply)}/${int(b.events)} by reply, ${b.chatsOutOfOrder} chats out of order`,
      met: b.viaReply === b.events && b.chatsOutOfOrder === 0 && b.failedWebhooks === 0,
    });
  }
  return rows;
}

/** The run's plots, by file name (in `plots/` beside the report), with what each shows. */
export function plots(r: Results): Array<{ file: string; title: string; svg: string }> {
  const out: Array<{ file: string; title: string; svg: string }> = [];
  const capacity = r.endToEnd?.capacity;
  if (capacity) {
    const title = `End-to-end p99 against offered rate, ${capacity.workers} workers`;
    out.push({
      file: "p99-vs-rate.svg",
      title,
      svg: lineChart({
        title,
        xLabel: "offered events/s",
        yLabel: "p99, webhook sent → reply received (ms)",
        series: [
          { name: "linefleet", points: capacity.steps.map((s) => [s.rate, s.p99] as const) },
          {
            name: "naive pipeline",
            points: capacity.naive.steps.map((s) => [s.rate, s.p99] as const),
          },
        ],
        limit: { y: 1_000, label: "1 s" },
      }),
    });
  }
  const cost = r.cost;
  if (cost) {
    const title = `CPU per event by process at ${int(cost.rate)} events/s`;
    out.push({
      file: "cpu-per-event.svg",
      title,
      svg: stackedBarChart({
        title,
        yLabel: "CPU µs per event",
        bars: [
          { name: "linefleet", parts: cost.usPerEvent },
          { name: "naive pipeline", parts: cost.naive.usPerEvent },
        ],
      }),
    });
  }
  return out;
}

export function renderResults(r: Results): string {
  const m = r.machine;
  const out: string[] = [];
  out.push("# linefleet benchmarks", "");
  out.push(
    `Measured by \`pnpm bench${r.quick ? " --quick" : ""}\` on ${m.date.slice(0, 10)}, every figure from one run on one machine.`,
    "",
    "How each figure is measured, and CPU profiles of where the time goes: [README.md](README.md).",
    "",
    "## Machine",
    "",
    `- ${m.cpus} CPUs (${m.cpuModel}), ${m.memGiB} GiB, Linux ${m.kernel}; the load generator and the LINE emulator run on the same machine`,
    `- Load average (1 min) ${m.loadAverageAtStart.toFixed(1)} at the start, ${m.loadAverageAtEnd.toFixed(1)} at the end${m.loadAverageAtStart > 2 ? ": the machine was shared with other work during the run, so read ratios measured in the same run rather than absolute figures" : ""}`,
    `- Node ${m.node}, Redis ${m.redis}, ${Object.entries(m.packages)
      .map(([name, version]) => `${name} ${version}`)
      .join(", ")}`,
    "",
    "## Targets",
    "",
    "| Target | Measured | |",
    "|---|---|---|",
    ...targets(r).map((row) => `| ${row.target} | ${row.measured} | ${mark(row.met)} |`),
    "",
  );
  const drawn = plots(r);
  if (drawn.length > 0) {
    out.push("## Plots", "", ...drawn.map((plot) => `![${plot.title}](plots/${plot.file})`), "");
  }
  if (r.ingress) {
    const i = r.ingress;
    out.push(
      "## 1. Ingress",
      "",
      `Each server in its own process, the same signed LINE webhook bodies (one text message event, a fresh \`webhookEventId\` per request), ` +
        `${CONNECTIONS} keep-alive connections. Throughput: autocannon, closed loop, ${i.rounds} round(s) of ${i.durationS} s per server, interleaved; the median round counts. ` +
        `Latency: open loop at a constant ${int(FIXED_RATE)} req/s (latency counted from when each request was due). ` +
        "linefleet's ingress writes to a real Redis, no worker running.",
      "",
      `| Server | req/s (rounds) | p50 / p99 / max at ${int(FIXED_RATE)}/s | CPU per request at ${int(FIXED_RATE)}/s |`,
      "|---|---|---|---|",
      ...i.targets.map(
        (t) =>
          `| ${t.label} | **${int(t.rps)}** (${t.rounds.map((x) => int(x.rps)).join(", ")}) | ${ms(t.fixed.p50)} / ${ms(t.fixed.p99)} / ${ms(t.fixed.max)} ms${t.fixed.failed ? ` (${t.fixed.failed} failed)` : ""} | ${int(t.cpuUsPerRequest)} µs${t.name === "linefleet" ? " (ingress + Redis)" : ""} |`,
      ),
      "",
      `Ratios: linefleet / SDK middleware = **${i.vsSdk.toFixed(2)}×**, linefleet / bare Fastify = **${(i.vsBare * 100).toFixed(0)}%**.`,
      "",
    );
  }
  if (r.endToEnd) {
    const e = r.endToEnd;
    out.push(
      "## 2. End to end",
      "",
      `The LINE emulator sends each user message as its own signed webhook, at a constant ${int(e.rate)} events/s; ` +
        "the echo bot answers by reply. Latency: from the emulator sending the webhook to the reply arriving at the emulator.",
      "",
      "| Pipeline | Workers | Events | Answered (by reply) | Answers/s (kept up?) | p50 | p99 | max |",
      "|---|---|---|---|---|---|---|---|",
      ...e.phases.map(
        (p) =>
          `| ${p.pipeline} | ${p.workers} | ${int(p.events)} | ${int(p.answered)} (${int(p.viaReply)}) | ${int(p.answerRate)} (${p.keptUp ? "yes" : "**no**"}) | ${ms(p.p50)} ms | ${ms(p.p99)} ms | ${ms(p.max)} ms |`,
      ),
      "",
      `p99 ratios, linefleet / naive: 1 worker **${e.p99VsNaive[1]?.toFixed(2)}×**, 2 workers **${e.p99VsNaive[2]?.toFixed(2)}×**.`,
      "",
      `Capacity: each pipeline with ${e.capacity.workers} workers at rising steady rates, until p99 reaches 1 s or answers fall behind ([plot](plots/p99-vs-rate.svg)):`,
      "",
      "| Pipeline | Offered/s | Answered | Answers/s | p50 | p99 | CPU per event: pipeline / LINE side | cores busy |",
      "|---|---|---|---|---|---|---|---|",
      ...[
        ...e.capacity.steps.map((s) => ["linefleet", s] as const),
        ...e.capacity.naive.steps.map((s) => ["naive", s] as const),
      ].map(([pipeline, s]) => {
        const cpu = stepCpu(s);
        return `| ${pipeline} | ${int(s.rate)} | ${int(s.answered)}/${int(s.events)} | ${int(s.answerRate)} | ${ms(s.p50)} ms | ${ms(s.p99)} ms | ${int(cpu.pipelineUs)} / ${int(cpu.harnessUs)} µs | ${cpu.cores.toFixed(2)} |`;
      }),
      "",
      "CPU per event: user + system time of each process over the step, divided by the events answered; the pipeline is its ingress, Redis and workers, the LINE side this bench's own process (the emulator and the load generator, on the same two cores). Cores busy: all of it, per second of the step.",
      "",
      `Highest rate with p99 < 1 s: linefleet **${rateOrNone(e.capacity.highestRate)}**, the naive pipeline **${rateOrNone(e.capacity.naive.highestRate)}**.`,
      "",
    );
  }
  if (r.burst) {
    const b = r.burst;
    out.push(
      "## 3. Burst",
      "",
      `${int(b.events)} text messages from ${int(b.chats)} chats (${b.events / b.chats} each, interleaved), sent by the emulator as fast as the ingress takes them: ` +
        `${PER_WEBHOOK} events per webhook (as LINE batches them under load), ${CONNECTIONS} webhooks in flight; ${b.workers} workers, ${b.workers * 16} events in flight among them.`,
      "",
      `- All webhooks acknowledged after **${(b.acceptedInMs / 1000).toFixed(1)} s**${b.failedWebhooks ? ` (${b.failedWebhooks} refused)` : ", none refused"}`,
      `- Drained (last answer at the emulator) after **${(b.drainMs / 1000).toFixed(1)} s**`,
      `- Answered by reply token: **${int(b.viaReply)} of ${int(b.events)}** (${((100 * b.viaReply) / b.events).toFixed(1)}%), pushed: ${int(b.viaPush)}; oldest answer ${(b.maxAgeMs / 1000).toFixed(1)} s after its webhook`,
      `- Order per chat: **${b.chatsOutOfOrder === 0 ? "kept in every chat" : `broken in ${b.chatsOutOfOrder} of ${b.chats} chats`}**`,
      "",
    );
  }
  if (r.cost || r.burst) {
    out.push("## 4. Cost", "");
    if (r.cost) {
      const c = r.cost;
      out.push(
        `CPU time (user + system, from each process's /proc accounting) over a ${c.durationS} s phase at ${int(c.rate)} events/s through the emulator, one worker, for linefleet and then for the naive pipeline (Fastify + HMAC + \`SET NX\` + \`queue.add\`, a plain BullMQ worker replying through @line/bot-sdk), ` +
          `from the first webhook to the last answer, divided by the ${int(c.answered)} events answered:`,
        "",
        "| Process | linefleet | naive pipeline |",
        "|---|---|---|",
        ...Object.entries(c.usPerEvent).map(
          ([name, us]) =>
            `| ${name} | ${int(us)} µs | ${int(c.naive.usPerEvent[name] ?? Number.NaN)} µs |`,
        ),
        `| **total** | **${int(c.totalUsPerEvent)} µs** | **${int(c.naive.totalUsPerEvent)} µs** |`,
        "",
        `linefleet / naive: **${c.vsNaive.toFixed(2)}×** ([plot](plots/cpu-per-event.svg)) (answered ${int(c.answered)} and ${int(c.naive.answered)} of ${int(c.events)}; ${c.keptUp ? "linefleet kept up" : "linefleet **fell behind**"}, ${c.naive.keptUp ? "the naive pipeline kept up" : "the naive pipeline **fell behind**"}).`,
        "",
      );
    }
    if (r.burst) {
      out.push(
        "Peak RSS (VmHWM, reset just before the burst) during the burst:",
        "",
        ...Object.entries(r.burst.peakRssMiB).map(
          ([name, mib]) => `- ${name}: ${mib.toFixed(0)} MiB`,
        ),
        "",
      );
    }
  }
  if (r.memory) {
    const m = r.memory;
    out.push(
      "## 5. Redis memory",
      "",
      `${int(m.events)} events from as many chats through the real ingress and worker. Redis's own count, \`used_memory\`, grew by **${int(m.usedMemoryPerEvent)} B per event** from before the first event to after the last one's done mark expired (keyspace and expiry-table overhead included; ${int(m.usedMemoryPerEventWithDoneMarks)} B per event while the done marks still lived). ` +
        "Once every event was answered and its job removed, every key under the run's prefix weighed with `MEMORY USAGE`:",
      "",
      "| Key family | Keys | Bytes | Per event |",
      "|---|---|---|---|",
      ...m.families.map(
        (f) =>
          `| ${f.family} | ${int(f.keys)} | ${int(f.bytes)} | ${f.bytesPerEvent.toFixed(1)} B |`,
      ),
      "",
      `Retained per answered event once done: **${int(m.retainedPerEvent)} B** (the done marks lapse after 2 minutes; BullMQ's events stream is kept to 100–200 entries whatever the traffic). ` +
        `The dedupe marks (${m.dedupePerEvent.toFixed(0)} B each, kept \`DEDUPE_TTL_MS\`, 24 h by default) at 1,000 events/s for 24 h: **${m.gibPerDayAt1000.toFixed(1)} GiB**.`,
      "",
    );
  }
  if (r.replicas) out.push(...renderReplicas(r.replicas));
  return out.join("\n");
}
