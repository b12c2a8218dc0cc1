/** LINE Flex keywords turned into CSS values (sizes as the LINE app draws them, roughly). */

const SPACING = {
  none: "0px",
  xs: "2px",
  sm: "4px",
  md: "8px",
  lg: "12px",
  xl: "16px",
  xxl: "20px",
};
const TEXT_SIZE = {
  xxs: "10px",
  xs: "11px",
  sm: "13px",
  md: "14px",
  lg: "17px",
  xl: "20px",
  xxl: "24px",
  "3xl": "30px",
  "4xl": "38px",
  "5xl": "52px",
};
const IMAGE_SIZE = {
  xxs: "40px",
  xs: "60px",
  sm: "80px",
  md: "100px",
  lg: "120px",
  xl: "140px",
  xxl: "160px",
  "3xl": "180px",
  "4xl": "200px",
  "5xl": "220px",
  full: "100%",
};
const ICON_SIZE = { ...TEXT_SIZE };
export const BUBBLE_WIDTH = {
  nano: "120px",
  micro: "160px",
  deca: "220px",
  hecto: "240px",
  kilo: "260px",
  mega: "300px",
  giga: "386px",
};

/** A keyword from `table`, or a pixel/percent value as given. */
const pick = (table) => (value) => {
  if (value === undefined || value === null) return undefined;
  if (table[value]) return table[value];
  return /^-?\d+(\.\d+)?(px|%)$/.test(String(value)) ? String(value) : undefined;
};

export const spacing = pick(SPACING);
export const textSize = pick(TEXT_SIZE);
export const imageSize = pick(IMAGE_SIZE);
export const iconSize = pick(ICON_SIZE);
export const length = pick({});

/** Common box/component properties: margin, padding, offsets, position, flex, sizes. */
export function commonStyle(node, parentLayout) {
  const style = {};
  const margin = spacing(node.margin);
  if (margin)
    style[
      parentLayout === "horizontal" || parentLayout === "baseline" ? "marginLeft" : "marginTop"
    ] = margin;
  if (typeof node.flex === "number") {
    style.flex = `${node.flex} ${node.flex} 0`;
    if (node.flex === 0) style.flex = "0 0 auto";
  }
  for (const [prop, css] of [
    ["paddingAll", "padding"],
    ["paddingTop", "paddingTop"],
    ["paddingBottom", "paddingBottom"],
    ["paddingStart", "paddingLeft"],
    ["paddingEnd", "paddingRight"],
    ["offsetTop", "top"],
    ["offsetBottom", "bottom"],
    ["offsetStart", "left"],
    ["offsetEnd", "right"],
  ]) {
    const value = spacing(node[prop]);
    if (value) style[css] = value;
  }
  if (node.position === "absolute") style.position = "absolute";
  else if (node.offsetTop || node.offsetStart || node.offsetBottom || node.offsetEnd)
    style.position = "relative";
  for (const [prop, css] of [
    ["width", "width"],
    ["maxWidth", "maxWidth"],
    ["height", "height"],
    ["maxHeight", "maxHeight"],
  ]) {
    const value = length(node[prop]);
    if (value) style[css] = value;
  }
  if (node.backgroundColor) style.backgroundColor = node.backgroundColor;
  return style;
}

const ALIGN = { start: "flex-start", end: "flex-end", center: "center" };
export const align = (value) => ALIGN[value];
export const textAlign = (value) => ({ start: "left", end: "right", center: "center" })[value];
