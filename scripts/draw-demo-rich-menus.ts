// node scripts/draw-demo-rich-menus.ts — draws the demo bot's rich menu images
// (examples/demo-bot/rich-menus/*.png): flat panels with a label each, in a 5x7 pixel font, as
// small PNGs. Written by hand rather than with an image library: the workspace has none that
// draws, and a few flat rectangles need no more than zlib.
import { writeFileSync } from "node:fs";
import { crc32, deflateSync } from "node:zlib";

const GLYPHS: Record<string, string[]> = {
  A: ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
  B: ["11110", "10001", "10001", "11110", "10001", "10001", "11110"],
  C: ["01110", "10001", "10000", "10000", "10000", "10001", "01110"],
  D: ["11110", "10001", "10001", "10001", "10001", "10001", "11110"],
  E: ["11111", "10000", "10000", "11110", "10000", "10000", "11111"],
  H: ["10001", "10001", "10001", "11111", "10001", "10001", "10001"],
  K: ["10001", "10010", "10100", "11000", "10100", "10010", "10001"],
  L: ["10000", "10000", "10000", "10000", "10000", "10000", "11111"],
  M: ["10001", "11011", "10101", "10101", "10001", "10001", "10001"],
  N: ["10001", "11001", "10101", "10011", "10001", "10001", "10001"],
  O: ["01110", "10001", "10001", "10001", "10001", "10001", "01110"],
  P: ["11110", "10001", "10001", "11110", "10000", "10000", "10000"],
  R: ["11110", "10001", "10001", "11110", "10100", "10010", "10001"],
  T: ["11111", "00100", "00100", "00100", "00100", "00100", "00100"],
  W: ["10001", "10001", "10001", "10101", "10101", "11011", "10001"],
  "<": ["00010", "00100", "01000", "10000", "01000", "00100", "00010"],
  ">": ["01000", "00100", "00010", "00001", "00010", "00100", "01000"],
  " ": ["00000", "00000", "00000", "00000", "00000", "00000", "00000"],
};

type Rgb = [number, number, number];
interface Panel {
  label: string;
  color: Rgb;
}

const SCALE = 6;
const WHITE: Rgb = [255, 255, 255];

/** An RGB picture of equal-width panels side by side, each with its label centred. */
function drawPanels(width: number, height: number, panels: Panel[]): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  const set = (x: number, y: number, [r, g, b]: Rgb) => {
    const at = (y * width + x) * 3;
    pixels[at] = r;
    pixels[at + 1] = g;
    pixels[at + 2] = b;
  };
  const panelWidth = Math.floor(width / panels.length);
  panels.forEach((panel, i) => {
    const left = i * panelWidth;
    const right = i === panels.length - 1 ? width : left + panelWidth;
    for (let y = 0; y < height; y++) {
      // A 2 px white gap between panels.
      for (let x = left; x < right; x++) set(x, y, x < left + 2 && i > 0 ? WHITE : panel.color);
    }
    const textWidth = panel.label.length * 6 * SCALE - SCALE;
    const x0 = left + Math.floor((right - left - textWidth) / 2);
    const y0 = Math.floor((height - 7 * SCALE) / 2);
    [...panel.label].forEach((char, c) => {
      const glyph = GLYPHS[char];
      if (!glyph) throw new Error(`no glyph for ${char}`);
      glyph.forEach((row, gy) => {
        [...row].forEach((bit, gx) => {
          if (bit !== "1") return;
          for (let dy = 0; dy < SCALE; dy++) {
            for (let dx = 0; dx < SCALE; dx++) {
              set(x0 + (c * 6 + gx) * SCALE + dx, y0 + gy * SCALE + dy, WHITE);
            }
          }
        });
      });
    });
  });
  return png(width, height, pixels);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(width: number, height: number, rgb: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    rgb.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const green: Rgb = [6, 199, 85];
const teal: Rgb = [0, 150, 136];
const blue: Rgb = [33, 110, 200];
const dir = new URL("../examples/demo-bot/rich-menus/", import.meta.url);
writeFileSync(
  new URL("main.png", dir),
  drawPanels(1200, 405, [
    { label: "HELP", color: green },
    { label: "PLAN", color: teal },
    { label: "MORE >", color: blue },
  ]),
);
writeFileSync(
  new URL("more.png", dir),
  drawPanels(1200, 405, [
    { label: "< BACK", color: blue },
    { label: "DATE", color: teal },
    { label: "WEB", color: green },
  ]),
);
