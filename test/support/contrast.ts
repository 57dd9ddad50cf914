/** WCAG 2.2 contrast, for checking card text against its background. */

/** An sRGB colour with alpha (0–1). */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Reads `#rgb`, `#rrggbb`, `#aarrggbb` (Adaptive Cards host-config order: alpha first) and CSS `rgb()`/`rgba()`. */
export function parseColour(text: string): Rgba {
  const css = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\s*\)$/i.exec(text.trim());
  if (css) {
    const alpha = css[4] === undefined ? 1 : css[4].endsWith("%") ? Number(css[4].slice(0, -1)) / 100 : Number(css[4]);
    return { r: Number(css[1]), g: Number(css[2]), b: Number(css[3]), a: alpha };
  }
  let hex = text.trim().replace(/^#/, "");
  if (hex.length === 3) hex = hex.split("").map((c) => c + c).join("");
  const alpha = hex.length === 8 ? parseInt(hex.slice(0, 2), 16) / 255 : 1;
  const rgb = hex.length === 8 ? hex.slice(2) : hex;
  if (!/^[0-9a-f]{6}$/i.test(rgb)) throw new Error(`not a colour: ${text}`);
  return { r: parseInt(rgb.slice(0, 2), 16), g: parseInt(rgb.slice(2, 4), 16), b: parseInt(rgb.slice(4, 6), 16), a: alpha };
}

/** `top` painted over an opaque `bottom`. */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const mix = (t: number, b: number): number => t * top.a + b * (1 - top.a);
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
}

function luminance({ r, g, b }: Rgba): number {
  const channel = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** The WCAG contrast ratio of a (possibly translucent) foreground on an opaque background. */
export function contrastRatio(foreground: Rgba, background: Rgba): number {
  const [a, b] = [luminance(over(foreground, background)), luminance(background)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/**
 * The ratio WCAG 2.2 AA asks of text: 4.5:1, or 3:1 for large text (at least 24 px, or 18.66 px and bold).
 */
export function requiredRatio(fontSizePx: number, fontWeight: number): number {
  return fontSizePx >= 24 || (fontSizePx >= 18.66 && fontWeight >= 700) ? 3 : 4.5;
}
