/**
 * The Graph stand-in's routing: which handler answers a method and path (the identity platform's tenant routes,
 * Graph's `/v1.0/users` routes), or the error answer for a request no handler takes.
 */
import { oauthError, odataError } from "./replies";
import type { Reply } from "./replies";
import { safeDecode } from "./requests";
import type { GraphRouteKind, RequestContext } from "./requests";
import { findUsers, getUser, phoneMethods, revokeSessions, setPassword } from "./user-routes";
import type { UserRouteState } from "./user-routes";

/** A request's handler, with its kind and the path parameters it takes (the user's id or userPrincipalName). */
export interface Route {
  kind: GraphRouteKind;
  params: string[];
  handle: (ctx: RequestContext) => Reply;
}

/** What the routes answer from: the user routes' state and the tenant the identity platform serves. */
export interface RouteState extends UserRouteState {
  tenantId: string;
}

/** The route for `method` and `pathname`, or the answer when there is none. */
export function routeRequest(method: string, pathname: string, state: RouteState): Route | { reply: Reply } {
  const segments = pathname.split("/").filter(Boolean).map(safeDecode);
  const tenantRoutes = segments[0] !== "v1.0";
  if (tenantRoutes) {
    const [tenant, ...rest] = segments;
    const path = rest.join("/");
    const known = ["v2.0/.well-known/openid-configuration", "discovery/v2.0/keys", "oauth2/v2.0/token"];
    if (!tenant || !known.includes(path)) return { reply: { status: 404, body: oauthError("invalid_request", 900561, "AADSTS900561: The endpoint only accepts the documented requests.") } };
    if (tenant !== state.tenantId) {
      return { reply: { status: 400, body: oauthError("invalid_tenant", 90002, `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`) } };
    }
    if (path === "oauth2/v2.0/token") {
      if (method !== "POST") return { reply: { status: 405, body: oauthError("invalid_request", 900561, "AADSTS900561: The endpoint only accepts POST requests.") } };
      return { kind: "token", params: [], handle: (ctx) => state.identity.token(ctx) };
    }
    if (method !== "GET") return { reply: { status: 405, body: oauthError("invalid_request", 900561, "AADSTS900561: The endpoint only accepts GET requests.") } };
    return { kind: "metadata", params: [], handle: () => (path === "discovery/v2.0/keys" ? state.identity.jwks() : state.identity.openIdConfiguration()) };
  }
  const rest = segments.slice(1);
  const notAllowed = { reply: { status: 405, body: odataError("Request_BadRequest", "Specified HTTP method is not allowed for the request target.") } };
  if (rest[0] !== "users" || rest.length === 0) {
    return { reply: { status: 400, body: odataError("BadRequest", `Resource not found for the segment '${rest[0] ?? ""}'.`) } };
  }
  if (rest.length === 1) {
    return method === "GET" ? { kind: "findUser", params: [], handle: (ctx) => findUsers(state, ctx) } : notAllowed;
  }
  const id = rest[1] ?? "";
  if (rest.length === 2) {
    if (method === "GET") return { kind: "getUser", params: [id], handle: (ctx) => getUser(state, ctx) };
    if (method === "PATCH") return { kind: "setPassword", params: [id], handle: (ctx) => setPassword(state, ctx) };
    return notAllowed;
  }
  if (rest.length === 4 && rest[2] === "authentication" && rest[3] === "phoneMethods") {
    return method === "GET" ? { kind: "phoneMethods", params: [id], handle: (ctx) => phoneMethods(state, ctx) } : notAllowed;
  }
  if (rest.length === 3 && rest[2] === "revokeSignInSessions") {
    return method === "POST" ? { kind: "revoke", params: [id], handle: (ctx) => revokeSessions(state, ctx) } : notAllowed;
  }
  return { reply: { status: 400, body: odataError("BadRequest", `Resource not found for the segment '${rest[2] ?? ""}'.`) } };
}
