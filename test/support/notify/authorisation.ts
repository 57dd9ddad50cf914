import jwt from "jsonwebtoken";
import { problem, UUID } from "./problems";

/** How far a token's `iat` may be from the server's clock, in seconds, as Notify allows. */
const CLOCK_BOUND_SECONDS = 30;
const GENERAL_TOKEN_ERROR =
  "Invalid token: make sure your API token matches the example at https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header";

/**
 * Notify's checks of the `Authorization` header, in Notify's order and with its messages: a bearer JWT with header
 * `{"typ":"JWT","alg":"HS256"}`, `iss` the service's id, signed with one of its secret keys, `iat` within 30 seconds.
 *
 * @throws NotifyProblem with Notify's status and AuthError message when the header fails a check
 */
export function authenticate(header: string | undefined, serviceId: string, secrets: readonly string[]): void {
  if (!header) throw problem(401, "AuthError", "Unauthorized: authentication token must be provided");
  if (header.slice(0, 7).toLowerCase() !== "bearer ") throw problem(401, "AuthError", "Unauthorized: authentication bearer scheme must be used");
  const token = header.slice(7);
  const decoded = jwt.decode(token, { complete: true });
  if (decoded === null || typeof decoded.payload === "string") {
    throw problem(403, "AuthError", "Invalid token: signature, api token is not valid");
  }
  const { header: jose, payload } = decoded;
  if (jose.alg !== "HS256") throw problem(403, "AuthError", "Invalid token: algorithm used is not HS256");
  if (jose.typ !== "JWT" || Object.keys(jose).length !== 2) throw problem(403, "AuthError", GENERAL_TOKEN_ERROR);
  if (typeof payload.iss !== "string") throw problem(403, "AuthError", "Invalid token: iss field not provided");
  if (!UUID.test(payload.iss)) throw problem(403, "AuthError", "Invalid token: service id is not the right data type");
  if (payload.iss !== serviceId) throw problem(403, "AuthError", "Invalid token: service not found");
  const signedByKey = secrets.some((secret) => {
    try {
      jwt.verify(token, secret, { algorithms: ["HS256"], clockTolerance: CLOCK_BOUND_SECONDS });
      return true;
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError || error instanceof jwt.NotBeforeError) {
        throw problem(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds");
      }
      return false;
    }
  });
  if (!signedByKey) throw problem(403, "AuthError", "Invalid token: API key not found");
  if (typeof payload.iat !== "number") throw problem(403, "AuthError", GENERAL_TOKEN_ERROR);
  if (Math.abs(Date.now() / 1000 - payload.iat) > CLOCK_BOUND_SECONDS) {
    throw problem(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds");
  }
}
