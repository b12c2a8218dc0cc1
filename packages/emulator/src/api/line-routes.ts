import type { WebhookDispatcher } from "../webhook/dispatcher.ts";
import { audienceRoutes } from "./audience-routes.ts";
import { contentRoutes } from "./content-routes.ts";
import { couponRoutes } from "./coupon-routes.ts";
import { followerRoutes } from "./follower-routes.ts";
import { infoRoutes } from "./info-routes.ts";
import { liffRoutes } from "./liff-routes.ts";
import { membershipRoutes } from "./membership-routes.ts";
import { moduleRoutes } from "./module-routes.ts";
import { oauthOperations } from "./oauth.ts";
import { partnerRoutes } from "./partner-routes.ts";
import { richMenuRoutes } from "./rich-menu-routes.ts";
import type { Route } from "./route.ts";
import { sendRoutes } from "./send-routes.ts";
import { lineSpecOperations } from "./spec/line-specs.ts";
import { buildRouteTable, type RouteTable } from "./spec/route-table.ts";
import { statisticsRoutes } from "./statistics-routes.ts";
import { webhookEndpointRoutes } from "./webhook-endpoint-routes.ts";

/** Every hand-written handler of LINE's operations, each naming its operationId. */
function lineRoutes(dispatcher: WebhookDispatcher): Route[] {
  return [
    ...sendRoutes,
    ...infoRoutes,
    ...contentRoutes,
    ...webhookEndpointRoutes(dispatcher),
    ...richMenuRoutes,
    ...audienceRoutes,
    ...liffRoutes,
    ...followerRoutes,
    ...couponRoutes,
    ...membershipRoutes,
    ...moduleRoutes(dispatcher),
    ...partnerRoutes,
    ...statisticsRoutes,
  ];
}

/** The emulator's route table: every operation of the committed specs, bound to its handler. */
export function lineRouteTable(dispatcher: WebhookDispatcher): RouteTable {
  return buildRouteTable({
    operations: lineSpecOperations(),
    routes: lineRoutes(dispatcher),
    oauthOperations,
  });
}
