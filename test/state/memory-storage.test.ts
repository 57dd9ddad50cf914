import { openStateStore } from "../../src/state";
import { describeStorageContract } from "./storage-contract";

describeStorageContract("memory", async () => openStateStore("memory://"), { shared: false });
