/**
 * Draws the app icons: a white padlock on NHS blue (color.png, 192×192) and the same padlock in white on a
 * transparent background (outline.png, 32×32). Run once with `npx tsx scripts/manifest/make-icons.ts`; the PNGs
 * are committed.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";
import { MANIFEST_DIR } from "./template";

/** NHS blue, the colour icon's background and the manifest's accent colour. */
export const NHS_BLUE = { r: 0x00, g: 0x5e, b: 0xb8 } as const;

/** Samples per pixel side used for anti-aliasing (SUPERSAMPLE² samples per pixel). */
const SUPERSAMPLE = 8;

/**
 * Whether the point (x, y) of the unit square (origin top left) is inside the padlock: a rounded body, a shackle
 * (an arch on two legs) and a keyhole cut out of the body.
 */
export function insidePadlock(x: number, y: number): boolean {
  const body = insideRoundedRect(x, y, 0.12, 0.44, 0.88, 1, 0.1);
  const ring = Math.hypot(x - 0.5, y - 0.3);
  const arch = y <= 0.3 && ring <= 0.3 && ring >= 0.18;
  const legs = y > 0.3 && y <= 0.5 && ((x >= 0.2 && x <= 0.32) || (x >= 0.68 && x <= 0.8));
  const keyhole = Math.hypot(x - 0.5, y - 0.66) <= 0.075 || (Math.abs(x - 0.5) <= 0.035 && y >= 0.66 && y <= 0.85);
  return (body && !keyhole) || arch || legs;
}

function insideRoundedRect(x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number): boolean {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return Math.hypot(x - cx, y - cy) <= r;
}

/** Fraction (0–1) of pixel (px, py) covered by the padlock drawn in a `box`-pixel square whose corner is at `offset`. */
function coverage(px: number, py: number, offset: number, box: number): number {
  let hits = 0;
  for (let i = 0; i < SUPERSAMPLE; i++) {
    for (let j = 0; j < SUPERSAMPLE; j++) {
      const x = (px + (i + 0.5) / SUPERSAMPLE - offset) / box;
      const y = (py + (j + 0.5) / SUPERSAMPLE - offset) / box;
      if (insidePadlock(x, y)) hits++;
    }
  }
  return hits / (SUPERSAMPLE * SUPERSAMPLE);
}

/** The 192×192 colour icon: an opaque NHS blue square with the padlock in white, centred in a 104-pixel box. */
export function renderColorIcon(): Buffer {
  const size = 192;
  const box = 104;
  return render(size, (px, py) => {
    const c = coverage(px, py, (size - box) / 2, box);
    const mix = (base: number): number => Math.round(base + (255 - base) * c);
    return [mix(NHS_BLUE.r), mix(NHS_BLUE.g), mix(NHS_BLUE.b), 255];
  });
}

/** The 32×32 outline icon: the padlock in white, everything else fully transparent. */
export function renderOutlineIcon(): Buffer {
  const size = 32;
  const box = 28;
  return render(size, (px, py) => [255, 255, 255, Math.round(255 * coverage(px, py, (size - box) / 2, box))]);
}

function render(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) png.data.set(pixel(x, y), (y * size + x) * 4);
  }
  return PNG.sync.write(png, { colorType: 6 });
}

if (require.main === module) {
  writeFileSync(path.join(MANIFEST_DIR, "color.png"), renderColorIcon());
  writeFileSync(path.join(MANIFEST_DIR, "outline.png"), renderOutlineIcon());
  console.log(`Icons written to ${path.relative(process.cwd(), MANIFEST_DIR)}/color.png and outline.png`);
}
