import { problem, UUID } from "./problems";

/** The fields each kind of notification takes: the recipient's field and every field Notify allows. */
export const FIELDS = {
  sms: { to: "phone_number", allowed: ["phone_number", "template_id", "personalisation", "reference", "scheduled_for", "sms_sender_id"] },
  email: {
    to: "email_address",
    allowed: ["email_address", "template_id", "personalisation", "reference", "scheduled_for", "email_reply_to_id", "one_click_unsubscribe_url"],
  },
} as const;

export function parseBody(raw: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw problem(400, "BadRequestError", "Invalid JSON supplied in POST data");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw problem(400, "ValidationError", `${JSON.stringify(body)} is not of type object`);
  }
  return body as Record<string, unknown>;
}

/** Notify's JSON schema checks for a text or an email, with its messages (which can echo what was sent). */
export function validationErrors(type: "sms" | "email", body: Record<string, unknown>): string[] {
  const fields = FIELDS[type];
  const errors: string[] = [];
  const unexpected = Object.keys(body).filter((key) => !(fields.allowed as readonly string[]).includes(key));
  if (unexpected.length > 0) errors.push(`Additional properties are not allowed (${unexpected.map((k) => `'${k}'`).join(", ")} were unexpected)`);
  for (const required of [fields.to, "template_id"]) if (!(required in body)) errors.push(`${required} is a required property`);

  if ("template_id" in body && (typeof body.template_id !== "string" || !UUID.test(body.template_id))) errors.push("template_id is not a valid UUID");
  if ("reference" in body && body.reference !== null && typeof body.reference !== "string") {
    errors.push(`reference ${JSON.stringify(body.reference)} is not of type string, null`);
  }
  if ("personalisation" in body && (typeof body.personalisation !== "object" || body.personalisation === null || Array.isArray(body.personalisation))) {
    errors.push(`personalisation ${JSON.stringify(body.personalisation)} is not of type object`);
  }
  const to = body[fields.to];
  if (to !== undefined) {
    if (typeof to !== "string") errors.push(`${fields.to} ${JSON.stringify(to)} is not of type string`);
    else {
      const problemWithAddress = type === "sms" ? phoneNumberProblem(to) : emailAddressProblem(to);
      if (problemWithAddress) errors.push(`${fields.to} ${problemWithAddress}`);
    }
  }
  return errors;
}

/** Notify's check of a UK mobile number (the service is not allowed international numbers). */
function phoneNumberProblem(number: string): string | undefined {
  const stripped = number.replace(/[\s().-]/g, "").replace(/^\+/, "");
  if (!/^\d+$/.test(stripped)) return "Must not contain letters or symbols";
  const national = stripped.startsWith("0044") ? stripped.slice(4) : stripped.startsWith("44") ? stripped.slice(2) : stripped.replace(/^0/, "");
  if (!national.startsWith("7")) return "Not a UK mobile number";
  if (national.length > 10) return "Too many digits";
  if (national.length < 10) return "Not enough digits";
  return undefined;
}

function emailAddressProblem(address: string): string | undefined {
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(address) ? undefined : "Not a valid email address";
}
