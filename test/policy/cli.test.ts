import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { TempDir } from "../support/temp-dir";

const ROOT = path.resolve(__dirname, "..", "..");

/** Runs `npm run --silent policy -- …` exactly as documented, with `input` on standard input. */
function policy(args: string[], input = ""): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("npm", ["run", "--silent", "policy", "--", ...args], { cwd: ROOT, input, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("policy command line", function () {
  this.timeout(120_000);

  it("prints ok and exits 0 for a good password read from standard input", () => {
    const run = policy(["check"], "Lantern orbit gravy 47\n");
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { ok: true, failures: [] });
  });

  it("lists every failure with its rule and exits 1", () => {
    const run = policy(["check", "--name", "Ada Okonkwo"], "Okonkwo£");
    assert.equal(run.status, 1, run.stderr);
    const verdict = JSON.parse(run.stdout) as { ok: boolean; failures: Array<{ rule: string; message: string }> };
    assert.equal(verdict.ok, false);
    assert.deepEqual(verdict.failures.map((f) => f.rule), ["min-length", "no-pound-sign", "not-personal"]);
    assert.match(verdict.failures[2].message, /your own name/, "the rule and its message name the same thing");
    assert.ok(!run.stdout.includes("Okonkwo£") && !run.stderr.includes("Okonkwo£"), "the password is never printed");
  });

  it("refuses a password that is in the default breach index", () => {
    const run = policy(["check"], "iloveyou");
    assert.equal(run.status, 1);
    assert.ok((JSON.parse(run.stdout) as { failures: Array<{ rule: string }> }).failures.some((f) => f.rule === "not-breached"));
  });

  it("builds an index from a password list and checks against it", () => {
    const dir = new TempDir();
    try {
      fs.writeFileSync(dir.file("list.txt"), "Unusual-Lantern-77\nanother-entry-here\n");
      const built = policy(["build-index", dir.file("list.txt"), "--format", "passwords", "--out", dir.file("index.bin")]);
      assert.equal(built.status, 0, built.stderr);
      assert.match(built.stdout, /2 entries/);
      const run = policy(["check", "--index", dir.file("index.bin")], "Unusual-Lantern-77");
      assert.deepEqual((JSON.parse(run.stdout) as { failures: Array<{ rule: string }> }).failures.map((f) => f.rule), ["not-breached"]);
      assert.equal(policy(["check", "--index", dir.file("index.bin")], "Unusual-Lantern-78").status, 0);
    } finally {
      dir.remove();
    }
  });

  it("explains a usage mistake and exits 2", () => {
    const run = policy(["check", "--breach", "sometimes"], "whatever-password");
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--breach must be offline, hibp, both or off/);
  });
});
