/** Notify's answer to a problem: `{"status_code":…,"errors":[{"error":…,"message":…}]}`. */
export class NotifyProblem extends Error {
  constructor(
    readonly status: number,
    readonly errors: Array<{ error: string; message: string }>,
  ) {
    super(errors.map((e) => e.message).join("; "));
  }
}

export const problem = (status: number, error: string, message: string): NotifyProblem => new NotifyProblem(status, [{ error, message }]);

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
