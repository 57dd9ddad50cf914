import { randomInt } from "node:crypto";
import type * as Resvg from "@resvg/resvg-js";
import type * as SvgCaptcha from "svg-captcha";
import type { KeyedHash } from "./claim-store";
import { sameDigest } from "./claim-store";
import type { Captcha, CaptchaChallenge } from "./ports";

/**
 * Letters and digits a person cannot mistake for one another in the captcha font, whatever case they type:
 * no 0/O/Q/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B.
 */
export const CAPTCHA_ALPHABET = "ACEFHJKMNPRTUVWXY3479";

type DrawOptions = NonNullable<Parameters<typeof SvgCaptcha.create>[0]>;
type DrawText = (text: string, options: DrawOptions) => string;

/** What draws a captcha: svg-captcha's text outlines, and resvg to make a PNG of them. */
interface Drawing {
  drawText: DrawText;
  renderAsync: typeof Resvg.renderAsync;
}

// svg-captcha (which parses its font as it loads) and resvg (a native module) are loaded with the first captcha
// rather than when the service starts.
let drawing: Drawing | undefined;

function loadDrawing(): Drawing {
  // The package's callable export, which draws given text, is missing from its type declarations; it is checked here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start
  const mod: unknown = require("svg-captcha");
  if (!isDrawText(mod)) throw new Error("svg-captcha no longer exports its drawing function.");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start
  const { renderAsync } = require("@resvg/resvg-js") as typeof Resvg;
  return { drawText: mod, renderAsync };
}

function isDrawText(value: unknown): value is DrawText {
  return typeof value === "function";
}

/** Options for {@link ImageCaptcha}. */
export interface ImageCaptchaOptions {
  /** Keyed hash for answers (e.g. `SecretBox.hmac`). */
  hmac: KeyedHash;
  /** Characters to read, 5 or 6. Default 5: six overlap at 200 pixels and get hard to read. */
  length?: number;
  /** Image width in pixels. Default 200. */
  width?: number;
  /** Image height in pixels. Default 70. */
  height?: number;
  /** Curved lines drawn across the text. Default 2. */
  noiseLines?: number;
  /** Picks an index below `max`; tests pass their own to know the text. Default `crypto.randomInt`. */
  random?: (max: number) => number;
}

/**
 * An image captcha for an Adaptive Card: random characters from {@link CAPTCHA_ALPHABET} (chosen with
 * `crypto.randomInt`), drawn as distorted outlines with noise lines by svg-captcha, rendered to a small PNG by
 * resvg (off the event loop), and returned as a `data:image/png;base64,…` URI with a keyed hash of the answer. Both
 * libraries are loaded with the first captcha.
 * Answers are checked case-insensitively, ignoring spaces, in constant time.
 */
export class ImageCaptcha implements Captcha {
  private readonly hmac: KeyedHash;
  private readonly length: number;
  private readonly random: (max: number) => number;
  private readonly drawOptions: DrawOptions;

  /** @throws Error when `length` is not 5 or 6 */
  constructor(options: ImageCaptchaOptions) {
    this.hmac = options.hmac;
    this.random = options.random ?? ((max) => randomInt(max));
    this.length = options.length ?? 5;
    if (this.length !== 5 && this.length !== 6) throw new Error("A captcha has 5 or 6 characters.");
    const width = options.width ?? 200;
    const height = options.height ?? 70;
    this.drawOptions = { width, height, noise: options.noiseLines ?? 2, fontSize: Math.round(height * 0.8) };
  }

  /** A new challenge: the image, and the hash to keep in the dialog state for {@link ImageCaptcha.check}. */
  async create(): Promise<CaptchaChallenge> {
    let text = "";
    while (text.length < this.length) {
      const char = CAPTCHA_ALPHABET.charAt(this.random(CAPTCHA_ALPHABET.length));
      if (char === "") throw new RangeError("The captcha's random source went out of range.");
      text += char;
    }
    drawing ??= loadDrawing();
    const svg = drawing.drawText(text, this.drawOptions);
    const image = await drawing.renderAsync(svg, { background: "#ffffff", font: { loadSystemFonts: false } });
    return {
      imageDataUri: `data:image/png;base64,${image.asPng().toString("base64")}`,
      answerHash: this.hashOf(text),
    };
  }

  /** Whether `answer` reads the image whose hash is `answerHash`: any case, spaces ignored. */
  check(answer: string, answerHash: string): boolean {
    return sameDigest(this.hashOf(answer), answerHash);
  }

  private hashOf(answer: string): string {
    return this.hmac(JSON.stringify(["captcha", answer.replace(/\s/g, "").toLowerCase()]));
  }
}
