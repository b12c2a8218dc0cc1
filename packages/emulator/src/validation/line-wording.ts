/**
 * The words LINE uses in `details[].message`, as its reference shows them
 * (https://developers.line.biz/en/reference/messaging-api/ : "Error responses", the validate
 * endpoints, "Create rich menu" and "Display a loading animation"). Where LINE shows none for a
 * rule, the message is written in the same style.
 */
export const wording = {
  /** A missing or empty value of a message (`messages[0].text`, `replyToken`). */
  mayNotBeEmpty: "May not be empty",
  /** A missing key deeper in an object (`name` of a rich menu). */
  mustBeSpecified: "must be specified",
  /** A URI whose scheme or form LINE refuses (`areas[0].action.uri`). */
  invalidUri: "invalid uri",
  /** A property LINE does not know. */
  invalidProperty: "invalid property",
  length: (min: number, max: number) => `Length must be between ${min} and ${max}`,
  size: (min: number, max: number) => `Size must be between ${min} and ${max}`,
  between: (min: number, max: number) => `Must be between ${min} and ${max}`,
  atLeast: (min: number) => `must be greater than or equal to ${min}`,
  atMost: (max: number) => `must be less than or equal to ${max}`,
  oneOf: (values: readonly unknown[]) =>
    `Must be one of the following values: [${values.join(", ")}]`,
  jsonSize: (maxBytes: number) => `JSON size must be at most ${maxBytes / 1024} KB`,
  pattern: (pattern: string) => `must match "${pattern}"`,
} as const;

/**
 * LINE's answer to a value it cannot read as the declared type (a number where a string goes, an
 * object where an array goes): a single message naming the property, without `details`.
 * LINE reports a line and column when it has them and `-` otherwise; the emulator validates the
 * parsed body, so it has none.
 */
export const invalidPropertyMessage = (property: string) =>
  `The property, '${property}', in the request body is invalid (line: -, column: -)`;
