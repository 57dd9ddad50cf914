/**
 * The audit trail of every journey's gates, kept in the state store and readable by administrators.
 *
 * @packageDocumentation
 */
export type { AuditEvent, AuditLog } from "./audit-log";
export { StoreAuditLog } from "./store-audit-log";
export type { AuditLogger, StoreAuditLogOptions } from "./store-audit-log";
export { MAX_DETAIL_LENGTH, sanitiseEvent } from "./sanitise";
