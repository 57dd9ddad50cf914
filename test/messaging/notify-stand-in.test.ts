import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { parseNotifyApiKey } from "../../src/messaging/notify-sender";
import { NotifyApi } from "../support/notify-api";
import { MOBILE } from "../support/notify-sender-fixtures";

describe("the Notify stand-in checks tokens as Notify does", function () {
  let api: NotifyApi;
  let secret: string;
  beforeEach(async () => {
    api = await new NotifyApi().start();
    secret = parseNotifyApiKey(api.apiKey).secret;
  });
  afterEach(() => api.stop());

  const now = (): number => Math.round(Date.now() / 1000);
  const post = async (authorization: string | undefined, body: object = { phone_number: MOBILE, template_id: api.smsTemplateId, personalisation: { body: "hi" } }) => {
    const response = await fetch(`${api.url}/v2/notifications/sms`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(authorization === undefined ? {} : { authorization }) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { errors?: Array<{ error: string; message: string }>; id?: string } };
  };
  const token = (claims: object, key = secret, options: jwt.SignOptions = {}): string =>
    `Bearer ${jwt.sign(claims, key, { header: { typ: "JWT", alg: "HS256" }, ...options })}`;

  it("accepts a token made as the client makes it, and answers in Notify's shape", async function () {
    const answer = await post(token({ iss: api.serviceId, iat: now() }));
    assert.equal(answer.status, 201);
    assert.match(answer.body.id ?? "", /^[0-9a-f-]{36}$/);
    assert.deepEqual(Object.keys(answer.body).sort(), ["content", "id", "reference", "scheduled_for", "template", "uri"]);
  });

  const refusals: Array<[string, () => string | undefined, number, string]> = [
    ["a token issued 60 seconds ago", () => token({ iss: api.serviceId, iat: now() - 60 }), 403, "Error: Your system clock must be accurate to within 30 seconds"],
    ["a token issued 60 seconds from now", () => token({ iss: api.serviceId, iat: now() + 60 }), 403, "Error: Your system clock must be accurate to within 30 seconds"],
    ["an unsigned token (alg none)", () => `Bearer ${jwt.sign({ iss: api.serviceId, iat: now() }, "", { algorithm: "none" })}`, 403, "Invalid token: algorithm used is not HS256"],
    ["a token signed with another secret", () => token({ iss: api.serviceId, iat: now() }, randomUUID()), 403, "Invalid token: API key not found"],
    ["a token from another service", () => token({ iss: randomUUID(), iat: now() }), 403, "Invalid token: service not found"],
    ["a token with no issuer", () => token({ iat: now() }), 403, "Invalid token: iss field not provided"],
    ["a token with no iat", () => token({ iss: api.serviceId }, secret, { noTimestamp: true }), 403, "Invalid token: make sure your API token"],
    ["a token that is not a JWT", () => "Bearer not-a-token", 403, "Invalid token: signature, api token is not valid"],
    ["no Authorization header", () => undefined, 401, "Unauthorized: authentication token must be provided"],
    ["a Basic Authorization header", () => "Basic dXNlcjpwYXNz", 401, "Unauthorized: authentication bearer scheme must be used"],
  ];
  for (const [what, authorization, status, message] of refusals) {
    it(`refuses ${what} with ${status}`, async function () {
      const answer = await post(authorization());
      assert.equal(answer.status, status);
      assert.equal(answer.body.errors?.[0].error, "AuthError");
      assert.ok(answer.body.errors[0].message.startsWith(message), answer.body.errors[0].message);
      assert.equal(api.sent().length, 0);
      assert.equal(api.requests.length, 1, "a refused request is still counted");
    });
  }

  it("validates bodies as Notify does", async function () {
    const auth = (): string => token({ iss: api.serviceId, iat: now() });
    const cases: Array<[object, number, string, string]> = [
      [{ phone_number: MOBILE, template_id: randomUUID(), personalisation: { body: "hi" } }, 400, "BadRequestError", "Template not found"],
      [{ phone_number: MOBILE, template_id: "welcome" }, 400, "ValidationError", "template_id is not a valid UUID"],
      [{ template_id: api.smsTemplateId, personalisation: { body: "hi" } }, 400, "ValidationError", "phone_number is a required property"],
      [{ phone_number: MOBILE, template_id: api.smsTemplateId }, 400, "BadRequestError", "Missing personalisation: body"],
      [{ phone_number: MOBILE, template_id: api.emailTemplateId, personalisation: { body: "hi" } }, 400, "BadRequestError", "email template is not suitable for sms notification"],
      [{ phone_number: MOBILE, template_id: api.smsTemplateId, personalisation: { body: "hi" }, reference: 7 }, 400, "ValidationError", "reference 7 is not of type string, null"],
      [{ phone_number: "07700 90011", template_id: api.smsTemplateId, personalisation: { body: "hi" } }, 400, "ValidationError", "phone_number Not enough digits"],
      [{ phone_number: MOBILE, template_id: api.smsTemplateId, personalisation: { body: "x".repeat(919) } }, 400, "BadRequestError", "Text messages cannot be longer than 918 characters. Your message is 919 characters long."],
    ];
    for (const [body, status, error, message] of cases) {
      const answer = await post(auth(), body);
      assert.deepEqual([answer.status, answer.body.errors?.[0].error, answer.body.errors?.[0].message], [status, error, message], JSON.stringify(body));
    }
    assert.equal(api.sent().length, 0);
    const answer = await post(auth(), { phone_number: "07700 900118", template_id: api.smsTemplateId, personalisation: { BODY: "hello" } });
    assert.equal(answer.status, 201, "placeholders match whatever their case");
    assert.equal((await api.waitForSent(1))[0].body, "hello");
  });
});
