/**
 * Sticker stand-ins drawn as inline SVG: LINE's sticker pictures are not reachable offline, and
 * emoji glyphs are missing from many systems' fonts (they showed as empty boxes). Each drawing
 * is a round character from a few parts: ears, eyes, mouth and one extra.
 */
const SVG = "http://www.w3.org/2000/svg";
const INK = "#3a2f2a";

function el(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

const stroke = (d, width = 2.4, color = INK) =>
  el("path", { d, fill: "none", stroke: color, "stroke-width": width, "stroke-linecap": "round" });
const fill = (d, color) => el("path", { d, fill: color });
/** A heart `2 * size` wide whose top is at `y`, centred on `x`. */
function heart(x, y, size, color = "#e8415c") {
  const [l, r] = [x - size, x + size];
  const at = (k) => y + size * k;
  return fill(
    `M${x} ${at(0.3)}C${x} ${y} ${l} ${y} ${l} ${at(0.35)}C${l} ${at(0.75)} ${x} ${at(0.95)} ${x} ${at(1.25)}` +
      `C${x} ${at(0.95)} ${r} ${at(0.75)} ${r} ${at(0.35)}C${r} ${y} ${x} ${y} ${x} ${at(0.3)}z`,
    color,
  );
}
const tear = (x, y) => fill(`M${x} ${y}c-3 4-3 7 0 7c3 0 3-3 0-7z`, "#5aa9f0");

const EARS = {
  none: () => [],
  bear: (color) => [
    el("circle", { cx: 15, cy: 17, r: 8, fill: color, stroke: INK, "stroke-width": 2 }),
    el("circle", { cx: 49, cy: 17, r: 8, fill: color, stroke: INK, "stroke-width": 2 }),
    el("circle", { cx: 15, cy: 17, r: 3.5, fill: "#f3c1a4" }),
    el("circle", { cx: 49, cy: 17, r: 3.5, fill: "#f3c1a4" }),
  ],
  cat: (color) => [
    el("path", { d: "M12 24l3-17 13 9z", fill: color, stroke: INK, "stroke-width": 2 }),
    el("path", { d: "M52 24l-3-17-13 9z", fill: color, stroke: INK, "stroke-width": 2 }),
  ],
  bunny: (color) => [
    el("ellipse", { cx: 23, cy: 12, rx: 5, ry: 10, fill: color, stroke: INK, "stroke-width": 2 }),
    el("ellipse", { cx: 41, cy: 12, rx: 5, ry: 10, fill: color, stroke: INK, "stroke-width": 2 }),
  ],
};

const EYES = {
  dot: () => [
    el("circle", { cx: 24, cy: 31, r: 2.8, fill: INK }),
    el("circle", { cx: 40, cy: 31, r: 2.8, fill: INK }),
  ],
  happy: () => [stroke("M20 32q4-6 8 0"), stroke("M36 32q4-6 8 0")],
  closed: () => [stroke("M20 30q4 4 8 0"), stroke("M36 30q4 4 8 0")],
  heart: () => [heart(24, 26, 5), heart(40, 26, 5)],
  wide: () => [
    el("circle", { cx: 24, cy: 30, r: 5, fill: "#fff", stroke: INK, "stroke-width": 1.6 }),
    el("circle", { cx: 40, cy: 30, r: 5, fill: "#fff", stroke: INK, "stroke-width": 1.6 }),
    el("circle", { cx: 24, cy: 30, r: 2.2, fill: INK }),
    el("circle", { cx: 40, cy: 30, r: 2.2, fill: INK }),
  ],
  cry: () => [...EYES.dot(), tear(22, 35), tear(42, 35)],
  laugh: () => [stroke("M20 27l7 4-7 4"), stroke("M44 27l-7 4 7 4"), tear(16, 33), tear(48, 33)],
};

const MOUTHS = {
  smile: () => [stroke("M25 41q7 7 14 0")],
  grin: () => [
    fill("M22 39h20q-2 12-10 12t-10-12z", "#8a2a2a"),
    fill("M26 47q6-4 12 0q-6 5-12 0z", "#f07a8a"),
  ],
  frown: () => [stroke("M25 46q7-6 14 0")],
  o: () => [el("ellipse", { cx: 32, cy: 44, rx: 3.6, ry: 4.6, fill: "#8a2a2a" })],
  small: () => [stroke("M29 43q3 2.5 6 0", 2)],
};

const EXTRAS = {
  none: () => [],
  blush: () => [
    el("ellipse", { cx: 18, cy: 39, rx: 4, ry: 2.4, fill: "#ff8fa3", opacity: 0.75 }),
    el("ellipse", { cx: 46, cy: 39, rx: 4, ry: 2.4, fill: "#ff8fa3", opacity: 0.75 }),
  ],
  muzzle: () => [el("ellipse", { cx: 32, cy: 43, rx: 8, ry: 6, fill: "#f3dcc4", opacity: 0.9 })],
  thumb: () => [
    el("rect", {
      x: 46,
      y: 46,
      width: 14,
      height: 13,
      rx: 4,
      fill: "#ffcf8a",
      stroke: INK,
      "stroke-width": 1.8,
    }),
    el("rect", {
      x: 47,
      y: 34,
      width: 6,
      height: 15,
      rx: 3,
      fill: "#ffcf8a",
      stroke: INK,
      "stroke-width": 1.8,
    }),
  ],
  pray: () => [
    el("path", { d: "M32 47l-8 16h16z", fill: "#ffcf8a", stroke: INK, "stroke-width": 1.8 }),
    stroke("M32 49v13", 1.4),
  ],
  party: () => [
    el("path", { d: "M22 13l10-13 10 13z", fill: "#6c7cff", stroke: INK, "stroke-width": 1.8 }),
    el("circle", { cx: 32, cy: 1.5, r: 2.5, fill: "#ffd12e" }),
    el("rect", { x: 4, y: 10, width: 4, height: 4, fill: "#e8415c", transform: "rotate(20 6 12)" }),
    el("rect", {
      x: 55,
      y: 8,
      width: 4,
      height: 4,
      fill: "#2fbf71",
      transform: "rotate(-25 57 10)",
    }),
    el("circle", { cx: 8, cy: 50, r: 2, fill: "#6c7cff" }),
    el("circle", { cx: 57, cy: 52, r: 2, fill: "#ffd12e" }),
  ],
  wave: () => [
    el("circle", { cx: 54, cy: 24, r: 6, fill: "#ffcf8a", stroke: INK, "stroke-width": 1.8 }),
    stroke("M51 19v-6M55 18v-7M59 20v-5", 2.2),
    stroke("M46 10q-3 4 0 8M42 12q-2 3 0 6", 1.6),
  ],
  zzz: () => [
    stroke("M46 8h8l-8 8h8", 2),
    stroke("M55 22h5l-5 5h5", 1.6),
    stroke("M38 3h4l-4 4h4", 1.3),
  ],
  hearts: () => [heart(8, 6, 5), heart(56, 4, 4.5), heart(57, 44, 4)],
};

/** The palette's stickers, and how each is drawn. */
const DRAWINGS = {
  "446/1988": { label: "grinning", color: "#ffd45c", eyes: "happy", mouth: "grin", extra: "blush" },
  "446/1989": { label: "heart eyes", color: "#ffd45c", eyes: "heart", mouth: "smile" },
  "446/1990": { label: "crying", color: "#ffd45c", eyes: "cry", mouth: "frown" },
  "446/2005": { label: "thumbs up", color: "#ffd45c", eyes: "dot", mouth: "smile", extra: "thumb" },
  "789/10855": {
    label: "bear",
    color: "#c8915f",
    ears: "bear",
    eyes: "dot",
    mouth: "small",
    extra: "muzzle",
  },
  "789/10857": {
    label: "thank you",
    color: "#c8915f",
    ears: "bear",
    eyes: "closed",
    mouth: "small",
    extra: "pray",
  },
  "11537/52002734": {
    label: "party",
    color: "#ffb3c6",
    ears: "cat",
    eyes: "happy",
    mouth: "grin",
    extra: "party",
  },
  "11537/52002738": {
    label: "laughing",
    color: "#ffb3c6",
    ears: "cat",
    eyes: "laugh",
    mouth: "grin",
  },
  "11538/51626494": {
    label: "waving",
    color: "#a9d8ff",
    ears: "bunny",
    eyes: "dot",
    mouth: "smile",
    extra: "wave",
  },
  "11538/51626501": {
    label: "surprised",
    color: "#a9d8ff",
    ears: "bunny",
    eyes: "wide",
    mouth: "o",
  },
  "11539/52114110": {
    label: "in love",
    color: "#b5e8c3",
    eyes: "happy",
    mouth: "smile",
    extra: "hearts",
  },
  "11539/52114129": {
    label: "sleeping",
    color: "#b5e8c3",
    eyes: "closed",
    mouth: "small",
    extra: "zzz",
  },
};

const FALLBACK_COLORS = ["#ffd45c", "#c8915f", "#ffb3c6", "#a9d8ff", "#b5e8c3", "#e3c4ff"];
const FALLBACK_EARS = ["none", "bear", "cat", "bunny"];
const FALLBACK_FACES = [
  ["dot", "smile"],
  ["happy", "grin"],
  ["wide", "o"],
  ["closed", "small"],
];

/** Any other sticker gets a character picked by its ids, so the same sticker looks the same. */
function fallbackDrawing(packageId, stickerId) {
  let hash = 0;
  for (const char of `${packageId}/${stickerId}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const [eyes, mouth] = FALLBACK_FACES[hash % FALLBACK_FACES.length];
  return {
    label: "sticker",
    color: FALLBACK_COLORS[(hash >>> 3) % FALLBACK_COLORS.length],
    ears: FALLBACK_EARS[(hash >>> 6) % FALLBACK_EARS.length],
    eyes,
    mouth,
  };
}

/** An `<svg>` drawing of a sticker, `size` pixels square. */
export function stickerArt(packageId, stickerId, { size = 64 } = {}) {
  const drawing =
    DRAWINGS[`${packageId}/${stickerId}`] ?? fallbackDrawing(String(packageId), String(stickerId));
  const svg = el("svg", {
    viewBox: "0 0 64 64",
    width: size,
    height: size,
    class: "sticker-art",
    role: "img",
    "aria-label": `Sticker ${packageId}/${stickerId}: ${drawing.label}`,
  });
  const extra = EXTRAS[drawing.extra ?? "none"] ?? EXTRAS.none;
  // The muzzle and blush sit on the face, under the eyes and mouth; the rest goes on top.
  const under = drawing.extra === "muzzle" || drawing.extra === "blush";
  svg.append(
    ...EARS[drawing.ears ?? "none"](drawing.color),
    el("circle", { cx: 32, cy: 35, r: 22, fill: drawing.color, stroke: INK, "stroke-width": 2 }),
    ...(under ? extra() : []),
    ...EYES[drawing.eyes](),
    ...MOUTHS[drawing.mouth](),
    ...(under ? [] : extra()),
  );
  return svg;
}
