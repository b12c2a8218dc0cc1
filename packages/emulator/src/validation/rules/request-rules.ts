import type { ErrorDetail } from "../../errors.ts";
import { isUserId } from "../../ids.ts";
import { wording } from "../line-wording.ts";
import { child, item } from "../property-path.ts";
import { checkAction } from "./action-rules.ts";
import { fail, isObject, objects } from "./checks.ts";
import { checkMessages } from "./message-rules.ts";

/** Operations whose body is a rich menu object, whose areas hold actions. */
const RICH_MENU_OPERATIONS = new Set(["createRichMenu", "validateRichMenuObject"]);

/**
 * LINE's documented rules that the spec's schemas do not express, for one operation's body:
 * every `messages` array (reply, push, multicast, narrowcast, broadcast, the validate endpoints,
 * notification messages) and the actions of a rich menu.
 */
export function documentedRuleFindings(operationId: string, body: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (!isObject(body)) return out;
  checkMessages(body.messages, "messages", out);
  if (RICH_MENU_OPERATIONS.has(operationId)) {
    // "Rich menu object": all five are required (the spec marks none), and LINE's example answer
    // to a missing one is "must be specified".
    for (const key of ["size", "selected", "name", "chatBarText", "areas"]) {
      if (body[key] === undefined) fail(out, key, wording.mustBeSpecified);
    }
    objects(body.areas).forEach((area, index) => {
      checkAction(area.action, child(item("areas", index), "action"), "richMenu", out);
    });
  }
  if (operationId === "showLoadingAnimation") {
    // "Display a loading animation": both its rules, worded as LINE's example answer words them.
    if (typeof body.loadingSeconds === "number" && body.loadingSeconds % 5 !== 0) {
      fail(out, "loadingSeconds", "must be a multiple of five");
    }
    if (typeof body.chatId === "string" && !isUserId(body.chatId)) {
      fail(
        out,
        "chatId",
        "Only user id is acceptable, please confirm if there are any group/room ids or illegal ids.",
      );
    }
  }
  return out;
}
