import assert from "node:assert/strict";
import fs from "node:fs";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import { OfflineBreachIndex } from "../../../src/policy/breach";
import { runCli } from "../../../src/policy/breach/cli";
import { TempDir } from "../../support/temp-dir";
import { randomSortedHashes } from "./corpus";

describe("breach index builder CLI", function () {
  let dir: TempDir;
  let out: string[];
  let err: string[];
  const io = (stdin: Readable = Readable.from([])) => ({
    stdin,
    stdout: (line: string) => out.push(line),
    stderr: (line: string) => err.push(line),
  });
  beforeEach(function () {
    dir = new TempDir();
    out = [];
    err = [];
  });
  afterEach(function () {
    dir.remove();
  });

  it("builds from a gzipped HIBP file and from standard input", async function () {
    const hashes = randomSortedHashes(1000);
    const text = hashes.map((h) => `${h}:1\r\n`).join("");
    fs.writeFileSync(dir.file("pwned.txt.gz"), zlib.gzipSync(text));
    const output = dir.file("index.bin");
    assert.equal(await runCli(["--format", "hibp", "--input", dir.file("pwned.txt.gz"), "--output", output], io()), 0);
    assert.match(out[0], /1000 entries/);
    const index = OfflineBreachIndex.open(output);
    assert.ok(hashes.every((h) => index.hasSha1(h)));
    await index.close();
    const args = ["--format", "passwords", "--input", "-", "--output", output];
    assert.equal(await runCli(args, io(Readable.from(["one\ntwo\n"]))), 0);
    assert.match(out[1], /2 entries/);
  });

  it("exits 1 with the line number on unsorted input, and 2 on bad usage", async function () {
    const [a, b] = randomSortedHashes(2);
    fs.writeFileSync(dir.file("bad.txt"), `${b}:1\n${a}:1\n`);
    assert.equal(await runCli(["--format", "hibp", "--input", dir.file("bad.txt"), "--output", dir.file("x.bin")], io()), 1);
    assert.match(err[0], /line 2: not in hash order/);
    assert.equal(await runCli(["--format", "csv", "--input", "x"], io()), 2);
    assert.equal(await runCli(["--bogus"], io()), 2);
  });
});
