/**
 * What can go wrong when the bot asks the account service (the embedded directory or Microsoft Entra ID) to do
 * something, in words the dialogs can act on. None of these carries an address, a name or a password.
 *
 * @packageDocumentation
 */

/** The account service's own password rules refused a new password: the person chooses another. */
export class PasswordRefusedError extends Error {
  constructor() {
    super("The account service's password rules refused the new password.");
    this.name = "PasswordRefusedError";
  }
}

/**
 * Why the account service could not be used:
 * - `permission`: the bot lacks a permission or directory role (an administrator must grant it);
 * - `throttled`: the service kept asking the bot to wait;
 * - `unreachable`: no answer, or an error answer; nothing was changed;
 * - `uncertain`: a change was sent but its outcome could not be confirmed.
 */
export type DirectoryFailure = "permission" | "throttled" | "unreachable" | "uncertain";

/** The account service could not be used just now; see {@link DirectoryFailure}. */
export class DirectoryUnavailableError extends Error {
  constructor(
    readonly failure: DirectoryFailure,
    /** The service's own error code (e.g. `Authorization_RequestDenied`), for the log. */
    readonly serviceCode?: string,
    readonly status?: number,
  ) {
    super(`The account service could not be used (${failure}${serviceCode ? `, ${serviceCode}` : ""}).`);
    this.name = "DirectoryUnavailableError";
  }
}
