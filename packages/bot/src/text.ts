/** A mention in a text message, as LINE sends it (`message.mention.mentionees[]`). */
export interface Mentionee {
  /** Where the mention starts in the text (a UTF-16 index, as JavaScript strings count). */
  index: number;
  length: number;
  /** `true` for a mention of the bot itself. */
  isSelf?: boolean;
}

/**
 * The text without the bot's own mentions (`isSelf`), trimmed: `@Coffee bot order latte` is
 * `order latte`. A mention in the middle leaves one space, not two. Other users' mentions stay.
 */
export function stripSelfMentions(text: string, mentionees: readonly Mentionee[] = []): string {
  // From the last to the first, so earlier indexes stay valid while cutting.
  const own = mentionees.filter((mentionee) => mentionee.isSelf).sort((a, b) => b.index - a.index);
  let result = text;
  for (const { index, length } of own) {
    const before = result.slice(0, index);
    let after = result.slice(index + length);
    if (/\s$/.test(before) || before === "") after = after.replace(/^\s+/, "");
    result = before + after;
  }
  return result.trim();
}

/** How `bot.command()` recognises a command word. */
export interface CommandOptions {
  /**
   * What may come before the command's name. Default `["/", ""]`: `/order latte` and, as LINE
   * users type, `order latte`. `[ "/" ]` accepts only the slash form.
   */
  prefixes?: readonly string[];
}

/**
 * The arguments of a command when `text` is that command (`order` in `/order latte` or
 * `Order latte`, any case), else undefined. The arguments are the rest of the text, trimmed.
 */
export function parseCommand(
  name: string,
  text: string,
  options: CommandOptions = {},
): string | undefined {
  const prefixes = options.prefixes ?? ["/", ""];
  const [word = "", ...rest] = text.trim().split(/(\s+)/);
  const lower = word.toLowerCase();
  const wanted = name.toLowerCase();
  if (!prefixes.some((prefix) => lower === prefix.toLowerCase() + wanted)) return undefined;
  return rest.join("").trim();
}
