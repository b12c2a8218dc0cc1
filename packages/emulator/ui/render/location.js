import { h } from "../dom.js";
import { icon } from "../icons.js";

/** A location card; the map itself is not reachable offline, so the card links out to one. */
export function renderLocation(message) {
  const { latitude, longitude } = message;
  const href = `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=16/${latitude}/${longitude}`;
  return h(
    "div",
    { class: "location-card", dataset: { testid: "location" } },
    h("div", { class: "location-map" }, icon("pin", { size: 30 })),
    h(
      "div",
      { class: "location-info" },
      h("div", { class: "location-title" }, message.title || "Location"),
      message.address ? h("div", { class: "location-address" }, message.address) : null,
      h(
        "a",
        { class: "location-coords", href, target: "_blank", rel: "noopener" },
        `${Number(latitude).toFixed(5)}, ${Number(longitude).toFixed(5)}`,
      ),
    ),
  );
}
