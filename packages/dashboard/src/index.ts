export { credentialsMatch, type DashboardCredentials } from "./credentials.ts";
export { dashboardPath, type QueueDashboardOptions, queueDashboard } from "./queue-dashboard.ts";
