/**
 * The real identity and Graph clients pointed at a {@link GraphStandIn}, for the stand-in's self-tests: a
 * `ClientSecretCredential`, a Graph `Client`, a retry setting that turns retries off, and catching a `GraphError`.
 */
import assert from "node:assert/strict";
import { ClientSecretCredential } from "@azure/identity";
import { Client, GraphError, RetryHandlerOptions } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import { GRAPH_SCOPE } from "../graph-api";
import type { GraphStandIn } from "../graph-api";

/** A Graph collection answer. */
export interface Collection<T> {
  "@odata.context": string;
  value: T[];
}

/** No retries, so a 429 or 503 reaches the test at once. */
export const noRetries = (): RetryHandlerOptions[] => [new RetryHandlerOptions(0, 0)];

/** A credential for the stand-in's app (with another secret if given). */
export function credentialFor(graph: GraphStandIn, secret = graph.clientSecret): ClientSecretCredential {
  return new ClientSecretCredential(graph.tenantId, graph.clientId, secret, {
    authorityHost: graph.authorityHost,
    disableInstanceDiscovery: true,
  });
}

/** A Graph client that calls the stand-in with tokens from `credential`. */
export function clientFor(graph: GraphStandIn, credential = credentialFor(graph)): Client {
  return Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] }),
    baseUrl: graph.origin,
    customHosts: new Set([graph.graphHost]),
  });
}

/** The GraphError `promise` rejects with; fails the test if it succeeds. */
export async function graphError(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GraphError) return err;
    throw err;
  }
  assert.fail("the request succeeded");
}
