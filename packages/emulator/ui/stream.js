/**
 * Live updates from `GET /emulator/stream` (server-sent events). Each event carries
 * `{kind, data}`; kind is "message", "delivery", "api-call" or "state". When the stream cannot
 * be kept open, polls with `onResync` until it comes back.
 */
const KINDS = ["message", "delivery", "api-call", "state"];
const POLL_MS = 1500;

export function connectStream({ onEvent, onResync, onStatus }) {
  let source;
  let pollTimer;
  let retryTimer;
  let failures = 0;

  const handle = (event) => {
    let payload;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return;
    }
    // Accept both `data: {"kind","data"}` on the default channel and named events.
    if (
      payload &&
      typeof payload === "object" &&
      KINDS.includes(payload.kind) &&
      "data" in payload
    ) {
      onEvent(payload.kind, payload.data);
    } else if (KINDS.includes(event.type)) {
      onEvent(event.type, payload);
    }
  };

  function startPolling() {
    if (pollTimer) return;
    onStatus("polling");
    pollTimer = setInterval(() => onResync(), POLL_MS);
  }

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = undefined;
  }

  function open() {
    if (typeof EventSource === "undefined") return startPolling();
    source = new EventSource("/emulator/stream");
    source.onopen = () => {
      const recovering = failures > 0;
      failures = 0;
      stopPolling();
      onStatus("live");
      // Anything sent while the stream was down is fetched again.
      if (recovering) onResync();
    };
    source.onmessage = handle;
    for (const kind of KINDS) if (kind !== "message") source.addEventListener(kind, handle);
    source.onerror = () => {
      failures += 1;
      // Poll at once: whatever happens while the stream is down would otherwise be missed.
      startPolling();
      if (source.readyState === EventSource.CLOSED || failures >= 2) {
        // Take over from the browser's own retries, backing off up to 30 s.
        source.close();
        clearTimeout(retryTimer);
        retryTimer = setTimeout(open, Math.min(30_000, 2000 * failures));
      }
    };
  }

  open();
  return () => {
    source?.close();
    stopPolling();
    clearTimeout(retryTimer);
  };
}
