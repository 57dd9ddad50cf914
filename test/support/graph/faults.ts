/**
 * The Graph stand-in's fault knobs: queues of error answers to give ({@link GraphFault}) and of requests to accept
 * and never answer ({@link GraphHang}), per kind of request, and the error reply a fault makes.
 */
import { oauthError, odataError } from "./replies";
import type { Reply } from "./replies";
import type { GraphRouteKind } from "./requests";

/** An error answer to inject. For `token` the body is OAuth's error shape, for Graph routes OData's. */
export interface GraphFault {
  status: number;
  code: string;
  message: string;
  /** Sent as the Retry-After header (seconds, or an HTTP date). */
  retryAfter?: number | string;
  /** How many requests get this answer (default 1; `Infinity` for all). */
  times?: number;
}

/** Requests to accept and never answer. */
export interface GraphHang {
  /** How many requests (default 1; `Infinity` for all). */
  times?: number;
  /** Do the work first (for a PATCH or POST: apply the change) and then lose the answer. */
  afterApplying?: boolean;
}

/** A queued fault, with the number of requests it still applies to. */
export interface Fault extends GraphFault {
  remaining: number;
}

/** A queued hang, with the number of requests it still applies to. */
export interface Hang {
  remaining: number;
  afterApplying: boolean;
}

/** The faults and hangs queued for each kind of request, each used up in order. */
export class FaultQueues {
  private readonly faults = new Map<GraphRouteKind, Fault[]>();
  private readonly hangs = new Map<GraphRouteKind, Hang[]>();

  /** Queues an error answer for the next `times` requests of `kind`. */
  fail(kind: GraphRouteKind, fault: GraphFault): void {
    queue(this.faults, kind).push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** Queues a hang for the next `times` requests of `kind`. */
  hang(kind: GraphRouteKind, options: GraphHang = {}): void {
    queue(this.hangs, kind).push({ remaining: options.times ?? 1, afterApplying: options.afterApplying ?? false });
  }

  /** Drops every fault and hang still queued for `kind` (the trouble is over). */
  clear(kind: GraphRouteKind): void {
    this.faults.delete(kind);
    this.hangs.delete(kind);
  }

  /** Uses up one request's worth of the first hang queued for `kind`, if any. */
  takeHang(kind: GraphRouteKind): Hang | undefined {
    return take(this.hangs, kind);
  }

  /** Uses up one request's worth of the first fault queued for `kind`, if any. */
  takeFault(kind: GraphRouteKind): Fault | undefined {
    return take(this.faults, kind);
  }
}

/** The answer a fault gives: OAuth's error body for the identity platform, OData's for Graph. */
export function faultReply(kind: GraphRouteKind, fault: Fault, clientRequestId: string): Reply {
  const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) };
  const body = kind === "token" || kind === "metadata" ? oauthError(fault.code, 0, fault.message, clientRequestId) : odataError(fault.code, fault.message, clientRequestId);
  return { status: fault.status, headers, body };
}

function queue<T>(map: Map<GraphRouteKind, T[]>, kind: GraphRouteKind): T[] {
  let list = map.get(kind);
  if (!list) map.set(kind, (list = []));
  return list;
}

function take<T extends { remaining: number }>(map: Map<GraphRouteKind, T[]>, kind: GraphRouteKind): T | undefined {
  const list = map.get(kind);
  const next = list?.[0];
  if (!list || !next) return undefined;
  next.remaining--;
  if (next.remaining <= 0) list.shift();
  return next;
}
