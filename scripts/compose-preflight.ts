// Run by `docker compose up` before the ingress and the workers (see docker-compose.yml): refuses to
// start a stack that would talk to real LINE without credentials. Compose would otherwise fill in
// the development defaults, which real LINE answers with 401 on every call.
const secret = process.env.LINE_CHANNEL_SECRET ?? "";
const token = process.env.LINE_CHANNEL_ACCESS_TOKEN ?? "";
const apiBaseUrl = process.env.LINE_API_BASE_URL || "https://api.line.me";
const realLine = new URL(apiBaseUrl).hostname.endsWith(".line.me");

if (realLine && (!secret || !token)) {
  const missing = [!secret && "LINE_CHANNEL_SECRET", !token && "LINE_CHANNEL_ACCESS_TOKEN"]
    .filter(Boolean)
    .join(" and ");
  console.error(
    [
      `linefleet: ${missing} unset, and LINE_API_BASE_URL is real LINE (${apiBaseUrl}); not starting.`,
      "  For real LINE:   LINE_CHANNEL_SECRET=… LINE_CHANNEL_ACCESS_TOKEN=… docker compose up",
      "  For the emulator: LINE_API_BASE_URL=http://emulator:8090 LINE_DATA_API_BASE_URL=http://emulator:8090 docker compose --profile dev up",
    ].join("\n"),
  );
  process.exit(1);
}
console.log(
  realLine
    ? `linefleet: LINE credentials set; talking to ${apiBaseUrl}`
    : `linefleet: talking to ${apiBaseUrl}`,
);
