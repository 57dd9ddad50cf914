/**
 * The Graph stand-in's directory: user records as a test gives them and as the stand-in holds them, the user
 * properties and `$select`, phone authentication methods, and the passwords set and sessions revoked.
 */
import { randomUUID } from "node:crypto";
import { graphDateTime, ODataError } from "./replies";

/** The ids Graph gives each kind of phone authentication method (the same in every tenant). */
export const PHONE_METHOD_IDS = {
  mobile: "3179e48a-750b-4051-897c-87b9720928f7",
  alternateMobile: "b6332ec1-7057-4abe-9331-3d72feddfe41",
  office: "e37fc753-ff3b-4958-9484-eaa9425c82bc",
} as const;

/** A phone number registered as an authentication method. */
export interface StandInPhone {
  phoneType: keyof typeof PHONE_METHOD_IDS;
  phoneNumber: string;
}

/** A directory user as a test sets it up; the stand-in generates `id` (a uuid) when it is not given. */
export interface StandInUserInput {
  id?: string;
  userPrincipalName: string;
  mail?: string | null;
  displayName: string;
  givenName: string;
  surname: string;
  companyName: string;
  jobTitle: string;
  department: string;
  /** ISO 8601, as Graph writes it (`2024-03-01T09:30:00Z`). */
  createdDateTime: string;
  lastPasswordChangeDateTime?: string;
  accountEnabled?: boolean;
  phones?: StandInPhone[];
}

/** A directory user as the stand-in holds it. */
export interface StandInUser {
  id: string;
  userPrincipalName: string;
  mail: string | null;
  displayName: string;
  givenName: string;
  surname: string;
  companyName: string;
  jobTitle: string;
  department: string;
  createdDateTime: string;
  lastPasswordChangeDateTime: string | null;
  accountEnabled: boolean;
  phones: StandInPhone[];
  signInSessionsValidFromDateTime: string;
}

/** The user properties the stand-in knows (for `$select` and `$filter`). */
export const USER_PROPERTIES = [
  "id",
  "accountEnabled",
  "businessPhones",
  "companyName",
  "createdDateTime",
  "department",
  "displayName",
  "givenName",
  "jobTitle",
  "lastPasswordChangeDateTime",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "signInSessionsValidFromDateTime",
  "surname",
  "userPrincipalName",
] as const;
export type UserProperty = (typeof USER_PROPERTIES)[number];

/** What Graph v1.0 returns for a user when the request has no `$select`. */
const DEFAULT_USER_PROPERTIES: readonly UserProperty[] = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
];

/** Reads a `$select` (property names matched case-insensitively); undefined when there is none. */
export function parseSelect(select: string | null): UserProperty[] | undefined {
  if (select === null) return undefined;
  const names = select.split(",").map((s) => s.trim());
  return names.map((name) => {
    const property = USER_PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!property) throw new ODataError(`Could not find a property named '${name}' on type 'microsoft.graph.user'.`);
    return property;
  });
}

/** The user as Graph returns it: the selected properties and `id`, or Graph's default set. */
export function project(user: StandInUser, select: readonly UserProperty[] | undefined): Record<string, unknown> {
  const all: Record<UserProperty, unknown> = {
    id: user.id,
    accountEnabled: user.accountEnabled,
    businessPhones: [],
    companyName: user.companyName,
    createdDateTime: user.createdDateTime,
    department: user.department,
    displayName: user.displayName,
    givenName: user.givenName,
    jobTitle: user.jobTitle,
    lastPasswordChangeDateTime: user.lastPasswordChangeDateTime,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: "en-GB",
    signInSessionsValidFromDateTime: user.signInSessionsValidFromDateTime,
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
  };
  const wanted = select ? [...new Set<UserProperty>([...select, "id"])] : DEFAULT_USER_PROPERTIES;
  return Object.fromEntries(wanted.map((p) => [p, all[p]]));
}

/** The user's phones as Graph's phoneAuthenticationMethod resources. */
export function phoneMethodsOf(user: StandInUser): Record<string, unknown>[] {
  return user.phones.map((p) => ({
    id: PHONE_METHOD_IDS[p.phoneType],
    phoneNumber: p.phoneNumber,
    phoneType: p.phoneType,
    smsSignInState: p.phoneType === "mobile" ? "notAllowedByPolicy" : "notSupported",
  }));
}

/** The users, keyed by id, with the passwords set for them and the times their sessions were revoked. */
export class UserDirectory {
  private readonly users = new Map<string, StandInUser>();
  private readonly passwords = new Map<string, { password: string; forceChangePasswordNextSignIn: boolean }>();
  private readonly revocations = new Map<string, number>();

  /** Adds a user and returns its id; refuses an id or userPrincipalName (in any case) already there. */
  add(input: StandInUserInput): string {
    const id = input.id ?? randomUUID();
    const upn = input.userPrincipalName.toLowerCase();
    if (this.users.has(id) || [...this.users.values()].some((u) => u.userPrincipalName.toLowerCase() === upn)) {
      throw new Error(`a user with id ${id} or userPrincipalName ${input.userPrincipalName} already exists`);
    }
    this.users.set(id, {
      id,
      userPrincipalName: input.userPrincipalName,
      mail: input.mail ?? null,
      displayName: input.displayName,
      givenName: input.givenName,
      surname: input.surname,
      companyName: input.companyName,
      jobTitle: input.jobTitle,
      department: input.department,
      createdDateTime: input.createdDateTime,
      lastPasswordChangeDateTime: input.lastPasswordChangeDateTime ?? null,
      accountEnabled: input.accountEnabled ?? true,
      phones: (input.phones ?? []).map((p) => ({ ...p })),
      signInSessionsValidFromDateTime: input.createdDateTime,
    });
    return id;
  }

  /** The user with this id, or this userPrincipalName in any case (the record itself, not a copy). */
  find(idOrUpn: string): StandInUser | undefined {
    const byId = this.users.get(idOrUpn);
    if (byId) return byId;
    const upn = idOrUpn.toLowerCase();
    return [...this.users.values()].find((u) => u.userPrincipalName.toLowerCase() === upn);
  }

  /** A copy of the user with this id or userPrincipalName. */
  copy(idOrUpn: string): StandInUser | undefined {
    const user = this.find(idOrUpn);
    return user && { ...user, phones: user.phones.map((p) => ({ ...p })) };
  }

  /** Every user, in the order added. */
  all(): StandInUser[] {
    return [...this.users.values()];
  }

  passwordOf(id: string): string | undefined {
    return this.passwords.get(id)?.password;
  }

  forceChangeOf(id: string): boolean | undefined {
    return this.passwords.get(id)?.forceChangePasswordNextSignIn;
  }

  revocationsOf(id: string): number {
    return this.revocations.get(id) ?? 0;
  }

  /** Records a new password for the user and stamps the change time. */
  setPassword(user: StandInUser, password: string, forceChangePasswordNextSignIn: boolean): void {
    this.passwords.set(user.id, { password, forceChangePasswordNextSignIn });
    user.lastPasswordChangeDateTime = graphDateTime();
  }

  /** Counts a revocation of the user's sign-in sessions and moves their valid-from time to now. */
  revokeSessions(user: StandInUser): void {
    this.revocations.set(user.id, this.revocationsOf(user.id) + 1);
    user.signInSessionsValidFromDateTime = graphDateTime();
  }
}
