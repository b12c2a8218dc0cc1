export { credentialsMatch, type DashboardCredentials } from "./credentials.ts";
export type { LoginLimit } from "./login-limiter.ts";
export {
  campaignsPath,
  dashboardPath,
  type QueueDashboardOptions,
  queueDashboard,
} from "./queue-dashboard.ts";
