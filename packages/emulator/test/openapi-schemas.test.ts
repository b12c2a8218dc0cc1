import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { toJsonSchemas } from "../src/validation/openapi-schemas.ts";

/** A spec in LINE's style: a base with a discriminator mapping, subtypes extending it by allOf. */
const components = {
  Shape: {
    type: "object",
    required: ["type"],
    properties: { type: { type: "string" }, label: { type: "string" } },
    discriminator: {
      propertyName: "type",
      mapping: { circle: "#/components/schemas/Circle", square: "#/components/schemas/Square" },
    },
  },
  Circle: {
    type: "object",
    required: ["radius"],
    allOf: [
      { $ref: "#/components/schemas/Shape" },
      { type: "object", properties: { radius: { type: "number" } } },
    ],
  },
  Square: {
    type: "object",
    allOf: [
      { $ref: "#/components/schemas/Shape" },
      {
        type: "object",
        properties: {
          side: { type: "number" },
          corner: { type: "object", properties: { r: { type: "number" } } },
        },
      },
    ],
  },
  Drawing: {
    type: "object",
    properties: { shapes: { type: "array", items: { $ref: "#/components/schemas/Shape" } } },
  },
  Note: { type: "object", properties: { text: { type: "string", nullable: true } } },
};

function validator(options: Parameters<typeof toJsonSchemas>[1], name: string) {
  const ajv = new Ajv2020({ allErrors: true, discriminator: true, strict: false });
  ajv.addSchema({ $id: "spec", $defs: toJsonSchemas(components, options) });
  const validate = ajv.getSchema(`spec#/$defs/${name}`);
  if (!validate) throw new Error(`no schema ${name}`);
  return (value: unknown) =>
    validate(value) ? [] : (validate.errors ?? []).map((e) => [e.keyword, e.instancePath]);
}

describe("toJsonSchemas", () => {
  it("dispatches a discriminated base on its type and checks the subtype's own properties", () => {
    const drawing = validator({}, "Drawing");
    expect(
      drawing({
        shapes: [
          { type: "circle", radius: 2, label: "c" },
          { type: "square", side: 1 },
        ],
      }),
    ).toEqual([]);
    expect(drawing({ shapes: [{ type: "triangle" }] })).toEqual([["discriminator", "/shapes/0"]]);
    expect(drawing({ shapes: [{ type: "circle" }] })).toEqual([["required", "/shapes/0"]]);
    expect(drawing({ shapes: [{ type: "circle", radius: "big" }] })).toEqual([
      ["type", "/shapes/0/radius"],
    ]);
  });

  it("closes the schemas reachable from the closed roots, nested inline objects included", () => {
    const closed = validator({ closedRoots: ["Drawing"] }, "Drawing");
    expect(closed({ shapes: [{ type: "circle", radius: 2, label: "c" }] })).toEqual([]);
    expect(closed({ shapes: [{ type: "circle", radius: 2, colour: "red" }] })).toEqual([
      ["unevaluatedProperties", "/shapes/0"],
    ]);
    expect(closed({ shapes: [{ type: "square", corner: { r: 1, q: 2 } }] })).toEqual([
      ["unevaluatedProperties", "/shapes/0/corner"],
    ]);
    expect(closed({ shapes: [], extra: true })).toEqual([["unevaluatedProperties", ""]]);
    // Without closed roots, unknown properties pass, as LINE's other request bodies do.
    expect(
      validator({}, "Drawing")({ shapes: [{ type: "circle", radius: 2, colour: "red" }] }),
    ).toEqual([]);
  });

  it("reads nullable as a null-accepting type only when asked to", () => {
    expect(validator({ allowNull: true }, "Note")({ text: null })).toEqual([]);
    expect(validator({}, "Note")({ text: null })).toEqual([["type", "/text"]]);
  });
});
