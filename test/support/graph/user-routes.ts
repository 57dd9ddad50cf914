/**
 * The Graph v1.0 user routes the stand-in answers: look-up by `$filter`, read (with `$select`), phone
 * authentication methods, password change under the tenant's policy, and sign-in session revocation. Each checks
 * the bearer token and the permissions Graph needs first.
 */
import { GRAPH_RESOURCE } from "./identity-platform";
import type { IdentityPlatform } from "./identity-platform";
import { matches, parseUserFilter } from "./odata-filter";
import type { UserFilter } from "./odata-filter";
import { meetsPolicy } from "./password-policy";
import type { StandInPasswordPolicy } from "./password-policy";
import { READ_PHONE_METHODS, READ_USERS, REVOKE_SESSIONS, WRITE_PASSWORD } from "./permissions";
import { ODataError, odataError } from "./replies";
import type { Reply } from "./replies";
import type { RequestContext } from "./requests";
import { parseSelect, phoneMethodsOf, project } from "./users";
import type { UserDirectory, UserProperty } from "./users";

/** What the user routes read and change. */
export interface UserRouteState {
  identity: IdentityPlatform;
  directory: UserDirectory;
  /** Where each look-up's `$filter` is recorded. */
  filters: string[];
  passwordPolicy: StandInPasswordPolicy;
  /** Whether the app holds the User Administrator directory role. */
  directoryRole: boolean;
}

const METADATA = `${GRAPH_RESOURCE}/v1.0/$metadata`;

/** A 400 message for a `$` query option the route does not take, if there is one. */
function checkQueryOptions(query: URLSearchParams, allowed: readonly string[]): string | undefined {
  const extra = [...query.keys()].find((k) => k.startsWith("$") && !allowed.includes(k));
  return extra === undefined ? undefined : `Query option '${extra}' is not allowed. Make sure that the query option is supported on this request.`;
}

function notFound(idOrUpn: string, clientRequestId: string): Reply {
  return {
    status: 404,
    body: odataError("Request_ResourceNotFound", `Resource '${idOrUpn}' does not exist or one of its queried reference-property objects are not present.`, clientRequestId),
  };
}

/** `GET /users?$filter=…&$select=…&$top=…` */
export function findUsers(state: UserRouteState, ctx: RequestContext): Reply {
  const filter = ctx.query.get("$filter");
  if (filter !== null) state.filters.push(filter);
  const refused = state.identity.authorise(ctx, READ_USERS);
  if (refused) return refused;
  const badRequest = (message: string): Reply => ({ status: 400, body: odataError("BadRequest", message, ctx.clientRequestId) });
  const options = checkQueryOptions(ctx.query, ["$filter", "$select", "$top"]);
  if (options) return badRequest(options);
  let select: UserProperty[] | undefined;
  let parsed: UserFilter | undefined;
  try {
    select = parseSelect(ctx.query.get("$select"));
    parsed = filter === null ? undefined : parseUserFilter(filter);
  } catch (err) {
    if (err instanceof ODataError) return badRequest(err.message);
    throw err;
  }
  const top = ctx.query.get("$top");
  const limit = top === null ? 100 : Number(top);
  if (!Number.isInteger(limit) || limit < 1 || limit > 999) return badRequest(`Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`);
  const users = state.directory.all().filter((u) => !parsed || matches(parsed, u)).slice(0, limit);
  return {
    status: 200,
    body: { "@odata.context": `${METADATA}#users${select ? `(${select.join(",")})` : ""}`, value: users.map((u) => project(u, select)) },
  };
}

/** `GET /users/{id | userPrincipalName}?$select=…` */
export function getUser(state: UserRouteState, ctx: RequestContext): Reply {
  const refused = state.identity.authorise(ctx, READ_USERS);
  if (refused) return refused;
  const idOrUpn = ctx.params[0] ?? "";
  const options = checkQueryOptions(ctx.query, ["$select"]);
  if (options) return { status: 400, body: odataError("BadRequest", options, ctx.clientRequestId) };
  let select: UserProperty[] | undefined;
  try {
    select = parseSelect(ctx.query.get("$select"));
  } catch (err) {
    if (err instanceof ODataError) return { status: 400, body: odataError("BadRequest", err.message, ctx.clientRequestId) };
    throw err;
  }
  const user = state.directory.find(idOrUpn);
  if (!user) return notFound(idOrUpn, ctx.clientRequestId);
  return { status: 200, body: { "@odata.context": `${METADATA}#users${select ? `(${select.join(",")})` : ""}/$entity`, ...project(user, select) } };
}

/** `GET /users/{id | userPrincipalName}/authentication/phoneMethods` */
export function phoneMethods(state: UserRouteState, ctx: RequestContext): Reply {
  const refused = state.identity.authorise(ctx, READ_PHONE_METHODS);
  if (refused) return refused;
  const idOrUpn = ctx.params[0] ?? "";
  const user = state.directory.find(idOrUpn);
  if (!user) return notFound(idOrUpn, ctx.clientRequestId);
  return {
    status: 200,
    body: {
      "@odata.context": `${METADATA}#users('${user.id}')/authentication/phoneMethods`,
      value: phoneMethodsOf(user),
    },
  };
}

/** `PATCH /users/{id | userPrincipalName}` with only a `passwordProfile`. */
export function setPassword(state: UserRouteState, ctx: RequestContext): Reply {
  const refused = state.identity.authorise(ctx, WRITE_PASSWORD);
  if (refused) return refused;
  const badRequest = (message: string): Reply => ({ status: 400, body: odataError("Request_BadRequest", message, ctx.clientRequestId) });
  if (!state.directoryRole) {
    return { status: 403, body: odataError("Authorization_RequestDenied", "Insufficient privileges to complete the operation.", ctx.clientRequestId) };
  }
  const idOrUpn = ctx.params[0] ?? "";
  const user = state.directory.find(idOrUpn);
  if (!user) return notFound(idOrUpn, ctx.clientRequestId);
  let body: unknown;
  try {
    body = JSON.parse(ctx.body);
  } catch {
    return {
      status: 400,
      body: odataError("BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.", ctx.clientRequestId),
    };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return badRequest("The request body must be a JSON object.");
  const others = Object.keys(body).filter((k) => k !== "passwordProfile");
  if (others.length > 0) return badRequest(`The stand-in accepts only passwordProfile in a PATCH of a user; the request also set: ${others.join(", ")}.`);
  const profile = (body as { passwordProfile?: unknown }).passwordProfile;
  if (typeof profile !== "object" || profile === null) return badRequest("Invalid value specified for property 'passwordProfile' of resource 'User'.");
  const fields = profile as Record<string, unknown>;
  const unknownFields = Object.keys(fields).filter((k) => !["password", "forceChangePasswordNextSignIn", "forceChangePasswordNextSignInWithMfa"].includes(k));
  if (unknownFields.length > 0) return badRequest(`Property '${unknownFields[0]}' does not exist on type 'microsoft.graph.passwordProfile'.`);
  const { password, forceChangePasswordNextSignIn } = fields;
  if (typeof password !== "string") return badRequest("Invalid value specified for property 'password' of resource 'PasswordProfile'.");
  if (forceChangePasswordNextSignIn !== undefined && typeof forceChangePasswordNextSignIn !== "boolean") {
    return badRequest("Invalid value specified for property 'forceChangePasswordNextSignIn' of resource 'PasswordProfile'.");
  }
  if (!meetsPolicy(password, user, state.passwordPolicy)) {
    return badRequest("The specified password does not comply with password complexity requirements. Please provide a different password.");
  }
  state.directory.setPassword(user, password, forceChangePasswordNextSignIn ?? false);
  return { status: 204 };
}

/** `POST /users/{id | userPrincipalName}/revokeSignInSessions` */
export function revokeSessions(state: UserRouteState, ctx: RequestContext): Reply {
  const refused = state.identity.authorise(ctx, REVOKE_SESSIONS);
  if (refused) return refused;
  const idOrUpn = ctx.params[0] ?? "";
  const user = state.directory.find(idOrUpn);
  if (!user) return notFound(idOrUpn, ctx.clientRequestId);
  state.directory.revokeSessions(user);
  return { status: 200, body: { "@odata.context": `${METADATA}#Edm.Boolean`, value: true } };
}
