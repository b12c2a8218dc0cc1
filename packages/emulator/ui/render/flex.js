import { h } from "../dom.js";
import { actionButton, withAction } from "./action-button.js";
import {
  align,
  BUBBLE_WIDTH,
  commonStyle,
  iconSize,
  imageSize,
  spacing,
  textAlign,
  textSize,
} from "./flex-style.js";
import { imageOrPlaceholder } from "./image.js";

/**
 * A basic Flex Message renderer: bubble and carousel containers; box (horizontal, vertical,
 * baseline), text and span, button, image, icon, separator, filler and spacer. Unknown parts
 * show as a labelled placeholder rather than breaking the message.
 */
export function renderFlex(message) {
  return h(
    "div",
    { class: "flex-message", dataset: { testid: "flex" } },
    container(message.contents ?? {}),
    message.altText
      ? h("div", { class: "alt-text", title: "altText (shown in notifications)" }, message.altText)
      : null,
  );
}

function container(node) {
  if (node.type === "carousel") {
    return h("div", { class: "carousel flex-carousel" }, (node.contents ?? []).map(bubble));
  }
  return bubble(node);
}

function bubble(node) {
  const styles = node.styles ?? {};
  const el = h("div", {
    class: "flex-bubble",
    style: { width: BUBBLE_WIDTH[node.size ?? "mega"] ?? BUBBLE_WIDTH.mega },
  });
  if (node.direction === "rtl") el.dir = "rtl";
  for (const block of ["header", "hero", "body", "footer"]) {
    const part = node[block];
    if (!part) continue;
    const blockStyle = styles[block] ?? {};
    const section = h("div", {
      class: `flex-block flex-${block}`,
      style: { backgroundColor: blockStyle.backgroundColor },
    });
    if (blockStyle.separator) section.classList.add("flex-block-separator");
    section.append(component(part, "vertical", block === "hero"));
    el.append(section);
  }
  return withAction(el, node.action);
}

function component(node, parentLayout, isHero = false) {
  switch (node?.type) {
    case "box":
      return box(node, parentLayout);
    case "text":
      return text(node, parentLayout);
    case "button":
      return button(node, parentLayout);
    case "image":
      return image(node, parentLayout, isHero);
    case "video":
      return node.altContent ? component(node.altContent, parentLayout, isHero) : unknown(node);
    case "icon":
      return icon(node, parentLayout);
    case "separator":
      return separator(node, parentLayout);
    case "filler":
      return h("div", { class: "flex-filler", style: { flex: `${node.flex ?? 1} 0 0` } });
    case "spacer":
      return h("div", {
        class: "flex-spacer",
        style: {
          flex: "0 0 auto",
          [parentLayout === "vertical" ? "height" : "width"]: spacing(node.size ?? "md"),
        },
      });
    default:
      return unknown(node);
  }
}

function box(node, parentLayout) {
  const layout = node.layout ?? "vertical";
  const style = {
    ...commonStyle(node, parentLayout),
    borderColor: node.borderColor,
    borderRadius: spacing(node.cornerRadius) ?? node.cornerRadius,
    justifyContent: flexJustify(node.justifyContent),
    alignItems: layout === "baseline" ? "baseline" : flexJustify(node.alignItems),
  };
  const borderWidth =
    { none: "0", light: "0.5px", normal: "1px", medium: "2px", "semi-bold": "3px", bold: "4px" }[
      node.borderWidth
    ] ?? node.borderWidth;
  if (borderWidth)
    Object.assign(style, {
      borderWidth,
      borderStyle: "solid",
      borderColor: node.borderColor ?? "#000",
    });
  if (node.background?.type === "linearGradient") {
    style.backgroundImage = `linear-gradient(${node.background.angle ?? "0deg"}, ${node.background.startColor}, ${node.background.endColor})`;
  }
  const el = h("div", { class: `flex-box flex-${layout}`, style });
  const gap = spacing(node.spacing);
  (node.contents ?? []).forEach((child, index) => {
    const childEl = component(child, layout);
    if (gap && index > 0 && !child.margin) {
      childEl.style[layout === "vertical" ? "marginTop" : "marginLeft"] = gap;
    }
    el.append(childEl);
  });
  return withAction(el, node.action);
}

function text(node, parentLayout) {
  const style = {
    ...commonStyle(node, parentLayout),
    fontSize: textSize(node.size ?? "md"),
    fontWeight: node.weight === "bold" ? "700" : undefined,
    fontStyle: node.style === "italic" ? "italic" : undefined,
    textDecoration: decoration(node.decoration),
    color: node.color,
    textAlign: textAlign(node.align),
    alignSelf: gravity(node.gravity, parentLayout),
    lineHeight: node.lineSpacing ? `calc(1.35em + ${node.lineSpacing})` : undefined,
  };
  if (!node.wrap)
    Object.assign(style, { whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" });
  else if (node.maxLines)
    Object.assign(style, {
      display: "-webkit-box",
      WebkitBoxOrient: "vertical",
      WebkitLineClamp: String(node.maxLines),
      overflow: "hidden",
    });
  if (parentLayout !== "vertical" && typeof node.flex !== "number") style.flex = "1 1 0";
  const content = node.contents?.length ? node.contents.map(span) : (node.text ?? "");
  return withAction(h("div", { class: "flex-text", style }, content), node.action);
}

function span(node) {
  return h(
    "span",
    {
      style: {
        fontSize: textSize(node.size),
        fontWeight: node.weight === "bold" ? "700" : undefined,
        fontStyle: node.style === "italic" ? "italic" : undefined,
        textDecoration: decoration(node.decoration),
        color: node.color,
      },
    },
    node.text ?? "",
  );
}

function button(node, parentLayout) {
  const kind = node.style ?? "link";
  const el = actionButton(node.action ?? {}, {
    className: `flex-button flex-button-${kind}`,
    testid: "flex-button",
  });
  Object.assign(el.style, commonStyle(node, parentLayout), {
    alignSelf: gravity(node.gravity, parentLayout),
  });
  if (node.height === "sm") el.classList.add("flex-button-sm");
  if (node.color) {
    if (kind === "link") el.style.color = node.color;
    else el.style.backgroundColor = node.color;
  }
  if (parentLayout !== "vertical" && typeof node.flex !== "number") el.style.flex = "1 1 0";
  return el;
}

function image(node, parentLayout, isHero) {
  const width = isHero && !node.size ? "100%" : (imageSize(node.size ?? "md") ?? "100px");
  const holder = imageOrPlaceholder(node.url, { alt: "Flex image", className: "flex-image" });
  const [w, hgt] = String(node.aspectRatio ?? "1:1")
    .split(":")
    .map(Number);
  Object.assign(holder.style, commonStyle(node, parentLayout), {
    width,
    maxWidth: "100%",
    aspectRatio: w && hgt ? `${w} / ${hgt}` : "1 / 1",
    backgroundColor: node.backgroundColor,
    alignSelf:
      parentLayout === "vertical"
        ? (align(node.align) ?? "center")
        : gravity(node.gravity, parentLayout),
  });
  if (parentLayout !== "vertical" && typeof node.flex !== "number") holder.style.flex = "1 1 0";
  holder.dataset.fit = node.aspectMode === "cover" ? "cover" : "contain";
  return withAction(holder, node.action);
}

function icon(node, parentLayout) {
  const size = iconSize(node.size ?? "md") ?? "14px";
  const el = imageOrPlaceholder(node.url, { alt: "", className: "flex-icon" });
  Object.assign(el.style, commonStyle(node, parentLayout), {
    width: size,
    height: size,
    flex: "0 0 auto",
  });
  return el;
}

function separator(node, parentLayout) {
  const vertical = parentLayout !== "vertical";
  const el = h("div", { class: `flex-separator${vertical ? " vertical" : ""}` });
  const margin = spacing(node.margin);
  if (margin) el.style[vertical ? "marginLeft" : "marginTop"] = margin;
  if (node.color) el.style.backgroundColor = node.color;
  return el;
}

function unknown(node) {
  return h("div", { class: "flex-unknown" }, `[flex ${node?.type ?? "?"}]`);
}

const decoration = (value) => ({ underline: "underline", "line-through": "line-through" })[value];

function flexJustify(value) {
  return {
    "flex-start": "flex-start",
    "flex-end": "flex-end",
    center: "center",
    "space-between": "space-between",
    "space-around": "space-around",
    "space-evenly": "space-evenly",
  }[value];
}

function gravity(value, parentLayout) {
  if (parentLayout === "vertical" || !value) return undefined;
  return { top: "flex-start", bottom: "flex-end", center: "center" }[value];
}
