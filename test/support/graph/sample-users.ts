/** The directory user the Graph stand-in's self-tests start each test with. */
import { GraphStandIn } from "../graph-api";
import type { StandInUserInput } from "../graph-api";

/** A nurse with a mobile and an office phone, and a password last changed in November 2025. */
export const JANE_SMITH: StandInUserInput = {
  userPrincipalName: "jane.smith@nhs.net",
  mail: "jane.smith@nhs.net",
  displayName: "Jane Smith",
  givenName: "Jane",
  surname: "Smith",
  companyName: "Leeds Teaching Hospitals NHS Trust",
  jobTitle: "Staff Nurse",
  department: "Ward 12",
  createdDateTime: "2021-04-06T08:15:00Z",
  lastPasswordChangeDateTime: "2025-11-02T10:00:00Z",
  phones: [
    { phoneType: "mobile", phoneNumber: "+44 7700900018" },
    { phoneType: "office", phoneNumber: "+44 1134960000" },
  ],
};

/** A fresh stand-in with {@link JANE_SMITH} for each test of the enclosing `describe`, stopped after it. */
export function standInWithJane(): { graph: GraphStandIn; userId: string } {
  const current = { graph: undefined as unknown as GraphStandIn, userId: "" };
  beforeEach(async function () {
    current.graph = await new GraphStandIn().start();
    current.userId = current.graph.addUser(JANE_SMITH);
  });
  afterEach(async function () {
    await current.graph.stop();
  });
  return current;
}
