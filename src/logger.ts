import pino from "pino";
import type { DestinationStream, Logger } from "pino";
import { traceMixin } from "./telemetry/spans";

/** Field names that may carry a secret or something a person typed; their values are always censored. */
export const SENSITIVE_FIELDS = [
  "password",
  "newPassword",
  "confirmPassword",
  "currentPassword",
  "temporaryPassword",
  "code",
  "otp",
  "secret",
  "totpSecret",
  "accountSecret",
  "captcha",
  "token",
  "authorization",
  "mobile",
  "text",
  "value",
] as const;

/**
 * Redaction paths: every sensitive field at the top level, one and two levels down (pino's wildcards
 * match a single level), plus the inbound activity's free text and card inputs wherever they are nested.
 */
export const REDACT_PATHS: string[] = SENSITIVE_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level: string;
  /** Where JSON lines go; standard output when absent. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/** Creates the service's JSON logger with the redaction list applied; a line written inside a span carries its trace id. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "nhsmail-helpdesk-bot" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err },
      mixin: traceMixin,
    },
    options.destination,
  );
}

export type { Logger };
