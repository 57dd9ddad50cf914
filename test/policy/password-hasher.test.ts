import assert from "node:assert/strict";
import { inspect } from "node:util";
import { HashingPool } from "../../src/policy/hashing-pool";
import { PasswordHasher } from "../../src/policy/password-hasher";

// A low cost keeps the suite quick; the format and the comparison are the same at any cost.
const hasher = new PasswordHasher({ log2N: 10, r: 8, p: 1 });

describe("PasswordHasher (scrypt)", () => {
  it("verifies the password it hashed and nothing else", async () => {
    const hash = await hasher.hash("Summer-meadow-41");
    assert.match(hash, /^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.equal(await hasher.verify("Summer-meadow-41", hash), true);
    assert.equal(await hasher.verify("summer-meadow-41", hash), false, "comparison is case-sensitive");
    assert.equal(await hasher.verify("Summer-meadow-42", hash), false);
  });

  it("salts every hash, so the same password never hashes the same twice", async () => {
    assert.notEqual(await hasher.hash("same password 1"), await hasher.hash("same password 1"));
  });

  it("never contains the password", async () => {
    const hash = await hasher.hash("VisibleSecret123");
    assert.ok(!hash.includes("VisibleSecret123"));
    assert.ok(!Buffer.from(hash).toString("base64").includes(Buffer.from("VisibleSecret123").toString("base64")));
  });

  it("treats é typed two ways as the same password", async () => {
    const hash = await hasher.hash("caf\u00e9-au-lait-7");
    assert.equal(await hasher.verify("cafe\u0301-au-lait-7", hash), true);
  });

  it("verifies hashes made at another cost, and refuses malformed or absurd ones", async () => {
    const stronger = await new PasswordHasher({ log2N: 11, r: 8, p: 1 }).hash("old password here");
    assert.equal(await hasher.verify("old password here", stronger), true);
    assert.equal(await hasher.verify("x", "plain-text-password"), false);
    assert.equal(await hasher.verify("x", "$scrypt$ln=30,r=8,p=1$AAAA$AAAA"), false);
  });

  it("matches against a list of hashes", async () => {
    const history = await Promise.all(["first-password-1", "second-password-2"].map((p) => hasher.hash(p)));
    assert.equal(await hasher.matchesAny("second-password-2", history), true);
    assert.equal(await hasher.matchesAny("third-password-3", history), false);
    assert.equal(await hasher.matchesAny("anything at all", []), false);
  });
});

describe("PasswordHasher on its worker threads", () => {
  const pool = new HashingPool(1);
  after(() => pool.close());

  it("hashes many secrets at once, each verifying as its own", async () => {
    const secrets = Array.from({ length: 40 }, (_, i) => `Concurrent-secret-${i}`);
    const hashes = await Promise.all(secrets.map((secret) => hasher.hash(secret)));
    const checks = await Promise.all(hashes.map((hash, i) => Promise.all([hasher.verify(secrets[i], hash), hasher.verify(secrets[(i + 1) % 40], hash)])));
    assert.deepEqual(checks, secrets.map(() => [true, false]));
  });

  it("rejects a verify whose worker keeps stopping with an error that carries no secret", async () => {
    const secret = "Never-in-an-error-57";
    const own = new PasswordHasher({ log2N: 10, r: 8, p: 1 }, pool);
    const hash = await own.hash(secret);
    const verifying = own.verify(secret, hash);
    await pool.crashWorkers();
    await pool.crashWorkers();
    await assert.rejects(verifying, (err: unknown) => {
      assert.ok(err instanceof Error);
      for (const text of [err.message, err.stack ?? "", inspect(err), JSON.stringify(err)]) assert.ok(!text.includes(secret));
      return true;
    });
    assert.equal(await own.verify(secret, hash), true, "the pool recovers");
  });
});
