import { api } from "./api.js";
import { formatDateTime, formatTime, h, prettyJson } from "./dom.js";
import { store } from "./store.js";
import { showError, toast } from "./toast.js";

const MAX_ENTRIES = 300;

/**
 * Raw traffic: each webhook delivery attempt (status, attempt, redelivery, the exact JSON) and
 * each LINE API call the bot made (method, path, the spec operation it reached, status, retry key).
 */
export function mountLogPanel(root, { resync }) {
  let tab = "deliveries";
  const counts = {
    deliveries: h("span", { class: "count" }),
    apiCalls: h("span", { class: "count" }),
  };
  const tabButton = (id, label) =>
    h(
      "button",
      {
        type: "button",
        role: "tab",
        class: "tab",
        dataset: { testid: `log-tab-${id}`, tab: id },
        onclick: () => {
          tab = id;
          render();
        },
      },
      label,
      " ",
      counts[id],
    );
  const tabs = h(
    "div",
    { class: "log-tabs", role: "tablist" },
    tabButton("deliveries", "Webhooks"),
    tabButton("apiCalls", "API calls"),
  );
  const list = h("div", { class: "log-list", dataset: { testid: "log-list" } });
  const tools = h(
    "div",
    { class: "log-tools" },
    h(
      "button",
      {
        type: "button",
        class: "small",
        title: "Send an empty webhook, like the console's Verify button",
        dataset: { testid: "verify" },
        onclick: async () => {
          try {
            const result = await api.verify();
            toast(`Verify: ${result?.status ?? "sent"}`);
          } catch (error) {
            showError(error);
          }
        },
      },
      "Verify webhook",
    ),
    h(
      "button",
      {
        type: "button",
        class: "small danger",
        title: "Clear chats, logs, tokens, retry keys and faults",
        dataset: { testid: "reset" },
        onclick: async () => {
          if (!window.confirm("Clear every chat and log of the emulator?")) return;
          try {
            await api.reset();
            await resync();
          } catch (error) {
            showError(error);
          }
        },
      },
      "Reset",
    ),
  );
  const webhookUrl = h("div", { class: "webhook-url" });
  root.append(
    h("div", { class: "log-head" }, h("h2", {}, "Traffic"), tools),
    webhookUrl,
    tabs,
    list,
  );

  function render() {
    counts.deliveries.textContent = String(store.deliveries.length);
    counts.apiCalls.textContent = String(store.apiCalls.length);
    webhookUrl.textContent = store.webhookUrl ? `Webhook → ${store.webhookUrl}` : "";
    for (const button of tabs.children) {
      const active = button.dataset.tab === tab;
      button.classList.toggle("active", active);
      button.setAttribute("aria-selected", String(active));
    }
    const entries = tab === "deliveries" ? store.deliveries : store.apiCalls;
    const open = new Set([...list.querySelectorAll("details[open]")].map((d) => d.dataset.id));
    const rows = [...entries]
      .reverse()
      .map((entry) => (tab === "deliveries" ? deliveryRow(entry) : apiCallRow(entry)));
    for (const row of rows) if (open.has(row.dataset.id)) row.open = true;
    list.replaceChildren(
      ...(rows.length
        ? rows
        : [
            h(
              "div",
              { class: "muted log-empty" },
              tab === "deliveries" ? "No webhook sent yet." : "The bot has not called the API yet.",
            ),
          ]),
    );
  }

  store.on("logs", render);
  store.on("state", render);
  render();
}

/** Adds or replaces (same id) an entry in a log list. */
export function upsert(entries, entry) {
  const index = entries.findIndex((e) => e.id === entry.id);
  if (index >= 0) entries[index] = entry;
  else entries.push(entry);
  if (entries.length > MAX_ENTRIES) entries.splice(0, entries.length - MAX_ENTRIES);
}

function deliveryRow(d) {
  const body = parseMaybe(d.body);
  const types = Array.isArray(body?.events)
    ? body.events.map(eventLabel).join(", ") || "verify (no events)"
    : "";
  return h(
    "details",
    {
      class: "log-entry",
      dataset: {
        testid: "log-delivery",
        id: d.id,
        status: String(d.status ?? ""),
        redelivery: String(Boolean(d.isRedelivery)),
      },
    },
    h(
      "summary",
      {},
      statusPill(d.status, d.error),
      h("span", { class: "log-main" }, types || "webhook"),
      h("span", { class: "log-tag" }, `attempt ${d.attempt ?? 1}`),
      d.isRedelivery ? h("span", { class: "log-tag redelivery" }, "isRedelivery") : null,
      d.kind === "duplicate" ? h("span", { class: "log-tag redelivery" }, "duplicate") : null,
      typeof d.durationMs === "number"
        ? h("span", { class: "log-tag" }, `${d.durationMs} ms`)
        : null,
      h("span", { class: "log-time" }, formatTime(d.at)),
    ),
    d.error ? h("div", { class: "log-error" }, String(d.error)) : null,
    kv("attempt", d.id),
    kv("delivery", d.deliveryId),
    kv("kind", d.kind),
    kv("webhookEventIds", (d.webhookEventIds ?? []).join(", ")),
    d.at ? kv("at", formatDateTime(d.at)) : null,
    h("pre", { class: "json" }, pretty(body)),
  );
}

function apiCallRow(c) {
  return h(
    "details",
    {
      class: "log-entry",
      dataset: { testid: "log-api-call", id: c.id, status: String(c.status ?? "") },
    },
    h(
      "summary",
      {},
      statusPill(c.status),
      h("span", { class: "log-main" }, h("b", {}, c.method ?? ""), " ", c.path ?? ""),
      // The LINE operation the call reached, as its x-linefleet-operation header named it.
      c.operation
        ? h(
            "span",
            {
              class: "log-tag operation",
              title: `x-linefleet-operation: ${c.operation}`,
              dataset: { testid: "log-operation" },
            },
            c.operation,
          )
        : null,
      c.retryKey
        ? h(
            "span",
            { class: "log-tag", title: `X-Line-Retry-Key: ${c.retryKey}` },
            `retry key ${String(c.retryKey).slice(0, 8)}…`,
          )
        : null,
      c.fault
        ? h(
            "span",
            { class: "log-tag redelivery", title: "An injected fault answered this call" },
            `fault ${c.fault}`,
          )
        : null,
      h("span", { class: "log-time" }, formatTime(c.at)),
    ),
    kv("operation", c.operation),
    kv("requestId", c.requestId),
    c.retryKey ? kv("retryKey", c.retryKey) : null,
    c.at ? kv("at", formatDateTime(c.at)) : null,
    h("div", { class: "log-label" }, "Request"),
    h("pre", { class: "json" }, pretty(parseMaybe(c.body))),
    h("div", { class: "log-label" }, "Response"),
    h("pre", { class: "json" }, pretty(parseMaybe(c.response))),
  );
}

function statusPill(status, error) {
  const n = Number(status);
  const kind = !status
    ? error
      ? "bad"
      : "none"
    : n >= 200 && n < 300
      ? "ok"
      : n >= 500
        ? "bad"
        : "warn";
  return h(
    "span",
    { class: `status status-${kind}`, dataset: { testid: "log-status" } },
    status ? String(status) : error ? "failed" : "…",
  );
}

const kv = (key, value) =>
  value === undefined || value === null || value === ""
    ? null
    : h(
        "div",
        { class: "kv" },
        h("span", { class: "k" }, key),
        h("span", { class: "v" }, String(value)),
      );

function parseMaybe(value) {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const pretty = (value) =>
  value === undefined ? "" : typeof value === "string" ? value : prettyJson(value);

const eventLabel = (event) =>
  event?.message?.type ? `${event.type}:${event.message.type}` : event?.type;
