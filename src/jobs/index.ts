/**
 * Durable scheduled jobs in the state store (the sync follow-up, the reminder sweep), and their kinds.
 *
 * @packageDocumentation
 */
export { JobKind } from "./job-kinds";
export { JobScheduler } from "./job-scheduler";
export type { JobHandler, JobSchedulerOptions, RunSummary, ScheduledJob } from "./job-scheduler";
