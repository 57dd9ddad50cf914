import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig, parseConfig } from "../src/config";
import { TempDir } from "./support/temp-dir";

describe("config", () => {
  it("gives every setting a safe default", () => {
    const config = parseConfig({});
    assert.equal(config.PORT, 3978);
    assert.equal(config.STATE_URL, "sqlite://var/state.sqlite");
    assert.equal(config.BOT_ID, undefined);
    assert.equal(config.LOG_LEVEL, "info");
  });

  it("holds the breach index in up to 64 MiB by default; 0 keeps it on disk; a negative or fractional limit is refused", () => {
    assert.equal(parseConfig({}).BREACH_INDEX_MEMORY_MB, 64);
    assert.equal(parseConfig({ BREACH_INDEX_MEMORY_MB: "0" }).BREACH_INDEX_MEMORY_MB, 0);
    assert.deepEqual(catchConfigError({ BREACH_INDEX_MEMORY_MB: "-1" }).problems.map((p) => p.split(" ")[0]), ["BREACH_INDEX_MEMORY_MB"]);
    assert.deepEqual(catchConfigError({ BREACH_INDEX_MEMORY_MB: "1.5" }).problems.map((p) => p.split(" ")[0]), ["BREACH_INDEX_MEMORY_MB"]);
  });

  it("treats blank values as unset, as in env/.env.dev", () => {
    assert.equal(parseConfig({ BOT_ID: "", BOT_TENANT_ID: "  " }).BOT_ID, undefined);
  });

  it("lists every bad variable in one error", () => {
    const error = catchConfigError({ PORT: "eighty", STATE_URL: "postgres://x", LOG_LEVEL: "loud", BOT_ID: "not-a-guid" });
    assert.deepEqual(error.problems.map((p) => p.split(" ")[0]).sort(), ["BOT_ID", "LOG_LEVEL", "PORT", "STATE_URL"]);
    assert.match(error.message, /STATE_URL must start with sqlite:\/\//);
  });

  it("never prints a secret's value, even when the settings around it are wrong", () => {
    const secret = "s3cr3t-Value-That-Must-Not-Leak";
    const error = catchConfigError({ BOT_ID: "4b3f1a8e-1111-4c2d-9e0f-123456789abc", BOT_PASSWORD: secret, BOT_TYPE: "SingleTenant" });
    assert.match(error.message, /BOT_TENANT_ID is required when BOT_TYPE is SingleTenant/);
    assert.ok(!error.message.includes(secret));
  });

  it("requires a password once an app id is set", () => {
    const error = catchConfigError({ BOT_ID: "4b3f1a8e-1111-4c2d-9e0f-123456789abc" });
    assert.deepEqual(error.problems, ["BOT_PASSWORD is required when BOT_ID is set"]);
  });

  it("reads env/.env.<name>, then .user, and real environment variables win", () => {
    const dir = new TempDir();
    try {
      fs.mkdirSync(path.join(dir.path, "env"));
      fs.writeFileSync(path.join(dir.path, "env", ".env.staging"), "PORT=4000\nLOG_LEVEL=debug\nHELPDESK_PHONE=0100 000 0000\n");
      fs.writeFileSync(path.join(dir.path, "env", ".env.staging.user"), "LOG_LEVEL=warn\n");
      const config = loadConfig({ ENV_NAME: "staging", HELPDESK_PHONE: "0200 000 0000" }, dir.path);
      assert.equal(config.PORT, 4000);
      assert.equal(config.LOG_LEVEL, "warn");
      assert.equal(config.HELPDESK_PHONE, "0200 000 0000");
    } finally {
      dir.remove();
    }
  });
});

function catchConfigError(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err;
  }
  assert.fail("expected a ConfigError");
}
