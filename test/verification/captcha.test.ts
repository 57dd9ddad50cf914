import assert from "node:assert/strict";
import { PNG } from "pngjs";
import { CAPTCHA_ALPHABET, ImageCaptcha } from "../../src/verification/captcha";
import type { ImageCaptchaOptions } from "../../src/verification/captcha";
import { testHmac } from "./support";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A random source that spells `text`, so a test knows the answer. */
function spelling(text: string): (max: number) => number {
  let i = 0;
  return (max) => {
    assert.equal(max, CAPTCHA_ALPHABET.length);
    return CAPTCHA_ALPHABET.indexOf(text[i++ % text.length]);
  };
}

function pngOf(dataUri: string): Buffer {
  const prefix = "data:image/png;base64,";
  assert.ok(dataUri.startsWith(prefix), "a PNG data URI");
  return Buffer.from(dataUri.slice(prefix.length), "base64");
}

describe("image captcha", function () {
  const make = (options: Partial<ImageCaptchaOptions> = {}): ImageCaptcha =>
    new ImageCaptcha({ hmac: testHmac(), ...options });

  it("draws a small 200×70 PNG an Adaptive Card can show", async function () {
    const { imageDataUri } = await make().create();
    const png = pngOf(imageDataUri);
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    assert.equal(png.subarray(12, 16).toString("latin1"), "IHDR");
    assert.equal(png.readUInt32BE(16), 200);
    assert.equal(png.readUInt32BE(20), 70);
    assert.ok(png.length < 20_000, `${png.length} bytes`);
  });

  it("draws dark text on an opaque white background", async function () {
    const image = PNG.sync.read(pngOf((await make().create()).imageDataUri));
    let white = 0;
    let dark = 0;
    for (let i = 0; i < image.data.length; i += 4) {
      assert.equal(image.data[i + 3], 255, "opaque");
      const level = image.data[i];
      if (level > 240) white += 1;
      if (level < 100) dark += 1;
    }
    const pixels = image.width * image.height;
    assert.ok(white > pixels * 0.6, "mostly background");
    assert.ok(dark > pixels * 0.02, "some ink");
  });

  const answers: Array<[string, boolean]> = [
    ["K4MX7", true],
    ["k4mx7", true],
    ["K4mX7", true],
    ["  k4mx7 ", true],
    ["K4M X7", true],
    ["K4MX", false],
    ["K4MX77", false],
    ["K4MXT", false],
    ["", false],
  ];
  for (const [answer, expected] of answers) {
    it(`${expected ? "accepts" : "refuses"} ${JSON.stringify(answer)} for K4MX7`, async function () {
      const captcha = make({ random: spelling("K4MX7") });
      const { answerHash } = await captcha.create();
      assert.equal(captcha.check(answer, answerHash), expected);
    });
  }

  it("has five characters, or six when asked", async function () {
    const six = make({ length: 6, random: spelling("ACEFH9") });
    const { imageDataUri, answerHash } = await six.create();
    assert.equal(six.check("acefh9", answerHash), true);
    assert.equal(pngOf(imageDataUri).readUInt32BE(16), 200);
    for (const length of [4, 7]) assert.throws(() => make({ length }), /5 or 6 characters/);
  });

  it("keeps only a keyed hash of the answer", async function () {
    const { answerHash } = await make({ random: spelling("K4MX7") }).create();
    assert.match(answerHash, /^[0-9a-f]{64}$/);
    assert.ok(!answerHash.toLowerCase().includes("k4mx7"));
    const otherKey = make({ hmac: testHmac("another key"), random: spelling("K4MX7") });
    assert.notEqual((await otherKey.create()).answerHash, answerHash);
    assert.equal(otherKey.check("K4MX7", answerHash), false);
  });

  it("refuses a malformed hash without throwing", function () {
    const captcha = make();
    for (const hash of ["", "zz", "abc", "0".repeat(63)]) assert.equal(captcha.check("K4MX7", hash), false);
  });

  it("uses only characters that cannot be mistaken for one another", function () {
    for (const ambiguous of "0OQD1IL2Z5S6G8B") assert.ok(!CAPTCHA_ALPHABET.includes(ambiguous), ambiguous);
    assert.equal(new Set(CAPTCHA_ALPHABET).size, CAPTCHA_ALPHABET.length);
  });

  it("makes a different challenge each time", async function () {
    const captcha = make();
    const hashes = new Set<string>();
    for (let i = 0; i < 10; i++) hashes.add((await captcha.create()).answerHash);
    assert.equal(hashes.size, 10);
  });
});
