/**
 * The report's two plots as SVG files: p99 against offered rate (a line per pipeline, log scale),
 * and CPU per event by process (a stacked bar per pipeline).
 *
 * Written by hand: the chart libraries on npm draw into a DOM (a browser, or jsdom beside them)
 * or a canvas, which is a heavy dependency for two static plots made of lines, rectangles and
 * text. The SVG here is plain enough to read as source.
 */

export interface Series {
  name: string;
  points: ReadonlyArray<readonly [x: number, y: number]>;
}

export interface StackedBar {
  name: string;
  parts: Readonly<Record<string, number>>;
}

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { top: 40, right: 150, bottom: 50, left: 70 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
/** Colour-blind-safe (Okabe–Ito): one per series or stacked part, in order. */
const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];
const colour = (index: number) => COLOURS[index % COLOURS.length] as string;

const escapeXml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const label = (x: number, y: number, text: string, attributes = "") =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attributes}>${escapeXml(text)}</text>`;
const compact = (value: number) =>
  value >= 1_000 ? `${value / 1_000}k`.replace(".0k", "k") : String(value);

function frame(title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    label(WIDTH / 2, 22, title, 'text-anchor="middle" font-size="15" font-weight="bold"'),
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

/** Round steps for a linear axis from 0 to at least `max`: 1, 2 or 5 × a power of ten. */
function linearTicks(max: number, count = 5): number[] {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? power * 10;
  const ticks: number[] = [];
  for (let tick = 0; tick <= max + step / 2; tick += step) ticks.push(tick);
  if ((ticks.at(-1) ?? 0) < max) ticks.push((ticks.at(-1) ?? 0) + step);
  return ticks;
}

/** Powers of ten from below `min` to above `max`. */
function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    ticks.push(10 ** e);
  }
  return ticks;
}

/**
 * Lines through each series' points, y on a log scale (latencies span milliseconds to seconds);
 * `limit` draws a dashed horizontal line (a target).
 */
export function lineChart(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  limit?: { y: number; label: string };
}): string {
  const points = options.series.flatMap((s) => s.points);
  const ys = [...points.map(([, y]) => y), ...(options.limit ? [options.limit.y] : [])].filter(
    (y) => y > 0,
  );
  const yTicks = logTicks(Math.min(...ys, 1), Math.max(...ys, 10));
  const [yMin, yMax] = [yTicks[0] as number, yTicks.at(-1) as number];
  const xTicks = linearTicks(Math.max(...points.map(([x]) => x), 1));
  const xMax = xTicks.at(-1) as number;
  const px = (x: number) => MARGIN.left + (x / xMax) * PLOT_W;
  const py = (y: number) =>
    MARGIN.top +
    PLOT_H -
    ((Math.log10(Math.max(y, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) *
      PLOT_H;
  const body: string[] = [];
  for (const tick of yTicks) {
    body.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${py(tick).toFixed(1)}" y2="${py(tick).toFixed(1)}" stroke="#ddd"/>`,
      label(MARGIN.left - 6, py(tick) + 4, compact(tick), 'text-anchor="end"'),
    );
  }
  for (const tick of xTicks) {
    body.push(
      `<line x1="${px(tick).toFixed(1)}" x2="${px(tick).toFixed(1)}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_H}" stroke="#eee"/>`,
      label(px(tick), MARGIN.top + PLOT_H + 16, compact(tick), 'text-anchor="middle"'),
    );
  }
  body.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#999"/>`,
    label(MARGIN.left + PLOT_W / 2, HEIGHT - 10, options.xLabel, 'text-anchor="middle"'),
    label(
      16,
      MARGIN.top + PLOT_H / 2,
      options.yLabel,
      `text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + PLOT_H / 2})"`,
    ),
  );
  if (options.limit) {
    const y = py(options.limit.y).toFixed(1);
    body.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${y}" y2="${y}" stroke="#c00" stroke-dasharray="6 4"/>`,
      label(
        MARGIN.left + PLOT_W - 4,
        Number(y) - 5,
        options.limit.label,
        'text-anchor="end" fill="#c00"',
      ),
    );
  }
  options.series.forEach((series, index) => {
    const path = series.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`);
    body.push(
      `<polyline points="${path.join(" ")}" fill="none" stroke="${colour(index)}" stroke-width="2"/>`,
      ...series.points.map(
        ([x, y]) =>
          `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3.5" fill="${colour(index)}"/>`,
      ),
    );
    const legendY = MARGIN.top + 10 + index * 20;
    body.push(
      `<line x1="${WIDTH - MARGIN.right + 15}" x2="${WIDTH - MARGIN.right + 35}" y1="${legendY}" y2="${legendY}" stroke="${colour(index)}" stroke-width="2"/>`,
      label(WIDTH - MARGIN.right + 40, legendY + 4, series.name),
    );
  });
  return frame(options.title, body);
}

/** One bar per entry, its parts stacked in order of first appearance, each part labelled. */
export function stackedBarChart(options: {
  title: string;
  yLabel: string;
  bars: readonly StackedBar[];
}): string {
  const partNames = [...new Set(options.bars.flatMap((bar) => Object.keys(bar.parts)))];
  const totals = options.bars.map((bar) => Object.values(bar.parts).reduce((a, b) => a + b, 0));
  const yTicks = linearTicks(Math.max(...totals, 1));
  const yMax = yTicks.at(-1) as number;
  const py = (y: number) => MARGIN.top + PLOT_H - (y / yMax) * PLOT_H;
  const slot = PLOT_W / options.bars.length;
  const barWidth = Math.min(120, slot * 0.5);
  const body: string[] = [];
  for (const tick of yTicks) {
    body.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${py(tick).toFixed(1)}" y2="${py(tick).toFixed(1)}" stroke="#ddd"/>`,
      label(MARGIN.left - 6, py(tick) + 4, compact(tick), 'text-anchor="end"'),
    );
  }
  body.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${MARGIN.top + PLOT_H}" y2="${MARGIN.top + PLOT_H}" stroke="#999"/>`,
    label(
      16,
      MARGIN.top + PLOT_H / 2,
      options.yLabel,
      `text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + PLOT_H / 2})"`,
    ),
  );
  options.bars.forEach((bar, index) => {
    const x = MARGIN.left + slot * index + (slot - barWidth) / 2;
    let base = 0;
    partNames.forEach((part, partIndex) => {
      const value = bar.parts[part] ?? 0;
      if (value <= 0) return;
      const top = py(base + value);
      const height = py(base) - top;
      body.push(
        `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" fill="${colour(partIndex)}"/>`,
      );
      if (height >= 14) {
        body.push(
          label(
            x + barWidth / 2,
            top + height / 2 + 4,
            String(Math.round(value)),
            'text-anchor="middle" fill="white"',
          ),
        );
      }
      base += value;
    });
    body.push(
      label(
        x + barWidth / 2,
        py(base) - 6,
        `${Math.round(base)}`,
        'text-anchor="middle" font-weight="bold"',
      ),
      label(x + barWidth / 2, MARGIN.top + PLOT_H + 18, bar.name, 'text-anchor="middle"'),
    );
  });
  partNames.forEach((part, index) => {
    const legendY = MARGIN.top + 10 + index * 20;
    body.push(
      `<rect x="${WIDTH - MARGIN.right + 15}" y="${legendY - 7}" width="14" height="14" fill="${colour(index)}"/>`,
      label(WIDTH - MARGIN.right + 35, legendY + 4, part),
    );
  });
  return frame(options.title, body);
}
