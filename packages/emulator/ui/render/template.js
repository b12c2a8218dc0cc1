import { h } from "../dom.js";
import { actionButton, withAction } from "./action-button.js";
import { imageOrPlaceholder } from "./image.js";

/** Template messages: buttons, confirm, carousel and image_carousel. */
export function renderTemplate(message) {
  const template = message.template ?? {};
  const card = (() => {
    switch (template.type) {
      case "buttons":
        return buttonsCard(template, template);
      case "confirm":
        return confirmCard(template);
      case "carousel":
        return h(
          "div",
          { class: "carousel", dataset: { testid: "template-carousel" } },
          (template.columns ?? []).map((column) => buttonsCard(column, template)),
        );
      case "image_carousel":
        return h(
          "div",
          { class: "carousel", dataset: { testid: "template-image-carousel" } },
          (template.columns ?? []).map(imageColumn),
        );
      default:
        return h("div", { class: "unknown-card" }, `Template "${template.type}"`);
    }
  })();
  return h(
    "div",
    { class: "template", dataset: { testid: `template-${template.type}` } },
    card,
    altText(message),
  );
}

/** A buttons template, or one carousel column (which takes its image settings from the template). */
function buttonsCard(column, template) {
  const ratio = template.imageAspectRatio === "square" ? "1 / 1" : "1.51 / 1";
  const image = column.thumbnailImageUrl
    ? imageOrPlaceholder(column.thumbnailImageUrl, { alt: "Thumbnail", className: "card-image" })
    : null;
  if (image) {
    image.style.aspectRatio = ratio;
    image.style.backgroundColor = column.imageBackgroundColor ?? "#fff";
    image.dataset.fit = template.imageSize === "contain" ? "contain" : "cover";
  }
  const card = h(
    "div",
    { class: "card" },
    image,
    h(
      "div",
      { class: "card-body" },
      column.title ? h("div", { class: "card-title" }, column.title) : null,
      h("div", { class: "card-text" }, column.text ?? ""),
    ),
    h(
      "div",
      { class: "card-actions" },
      (column.actions ?? []).map((action) =>
        actionButton(action, { className: "card-action", testid: "template-action" }),
      ),
    ),
  );
  return withAction(card, column.defaultAction);
}

function confirmCard(template) {
  return h(
    "div",
    { class: "card confirm" },
    h("div", { class: "card-body" }, h("div", { class: "card-text" }, template.text ?? "")),
    h(
      "div",
      { class: "card-actions horizontal" },
      (template.actions ?? []).map((action) =>
        actionButton(action, { className: "card-action", testid: "template-action" }),
      ),
    ),
  );
}

function imageColumn(column) {
  const tile = h(
    "div",
    { class: "image-column" },
    imageOrPlaceholder(column.imageUrl, { alt: column.action?.label ?? "Image" }),
    column.action?.label ? h("div", { class: "image-column-label" }, column.action.label) : null,
  );
  tile.dataset.testid = "template-action";
  return withAction(tile, column.action);
}

const altText = (message) =>
  message.altText
    ? h("div", { class: "alt-text", title: "altText (shown in notifications)" }, message.altText)
    : null;
