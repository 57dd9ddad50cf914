/** The application permissions the stand-in's app holds by default, and those each Graph route accepts. */

/** The application permissions the stand-in's app holds unless told otherwise. */
export const DEFAULT_APP_ROLES: readonly string[] = [
  "User.Read.All",
  "UserAuthenticationMethod.Read.All",
  "User-PasswordProfile.ReadWrite.All",
  "User.RevokeSessions.All",
];

/** Any of these lets the app look users up and read them. */
export const READ_USERS = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
/** Any of these lets the app read a user's phone authentication methods. */
export const READ_PHONE_METHODS = ["UserAuthenticationMethod.Read.All", "UserAuthenticationMethod.ReadWrite.All"];
/** Any of these lets the app set a user's password (with the User Administrator directory role). */
export const WRITE_PASSWORD = ["User-PasswordProfile.ReadWrite.All", "User.ReadWrite.All"];
/** Any of these lets the app revoke a user's sign-in sessions. */
export const REVOKE_SESSIONS = ["User.RevokeSessions.All", "User.ReadWrite.All", "Directory.ReadWrite.All"];
