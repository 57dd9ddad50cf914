import assert from "node:assert/strict";
import { templates } from "../../cards/render";
import { contrastRatio, parseColour, requiredRatio } from "../support/contrast";

/**
 * The text colours Microsoft Teams renders Adaptive Cards with, as published in the Adaptive Cards project's sample
 * host configs for Teams (light and dark): the card background, and each named colour (normal and subtle) over it.
 * Font sizes in Teams: Small 12, Default 14, Medium 14, Large 18, ExtraLarge 24 px; Bolder is weight 600.
 */
const TEAMS: Record<"light" | "dark", { background: string; colours: Record<string, { default: string; subtle: string }> }> = {
  light: {
    background: "#ffffff",
    colours: {
      default: { default: "#ff252424", subtle: "#bf252424" },
      accent: { default: "#6264a7", subtle: "#8b8cc7" },
      good: { default: "#92c353", subtle: "#e592c353" },
      warning: { default: "#f8d22a", subtle: "#e5f8d22a" },
      attention: { default: "#c4314b", subtle: "#e5c4314b" },
    },
  },
  dark: {
    background: "#ff2d2c2c",
    colours: {
      default: { default: "#ffffffff", subtle: "#bfffffff" },
      accent: { default: "#ffa6a7dc", subtle: "#ff8b8cc7" },
      good: { default: "#ff92c353", subtle: "#e592c353" },
      warning: { default: "#fff8d22a", subtle: "#e5f8d22a" },
      attention: { default: "#ffd74654", subtle: "#e5d74654" },
    },
  },
};
const SIZES: Record<string, number> = { small: 12, default: 14, medium: 14, large: 18, extralarge: 24 };

/** Every text element of a template: the colour names it can take (an expression may choose between several). */
function textElements(template: unknown): Array<{ where: string; colours: string[]; subtle: boolean; size: number; bold: boolean }> {
  const found: Array<{ where: string; colours: string[]; subtle: boolean; size: number; bold: boolean }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if (o.type === "TextBlock" || o.type === "TextRun") {
      const colour = typeof o.color === "string" ? o.color : "Default";
      // A colour from the card's data cannot be checked here: a template names its colours itself.
      const named = colour.match(/\b(Default|Accent|Good|Warning|Attention|Light|Dark)\b/gi) ?? (colour.includes("${") ? ["(from data)"] : ["Default"]);
      found.push({
        where: typeof o.text === "string" ? o.text.slice(0, 50) : "",
        colours: [...new Set(named.map((c) => c.toLowerCase()))],
        subtle: o.isSubtle === true,
        size: SIZES[typeof o.size === "string" ? o.size.toLowerCase() : "default"] ?? 14,
        bold: typeof o.weight === "string" && o.weight.toLowerCase() === "bolder",
      });
    }
    Object.values(o).forEach(walk);
  };
  walk(template);
  return found;
}

describe("card text contrast in Teams' light and dark themes (WCAG 2.2 AA)", () => {
  for (const theme of ["light", "dark"] as const) {
    it(`every text of every card reaches AA in the ${theme} theme`, () => {
      const { background, colours } = TEAMS[theme];
      const failures: string[] = [];
      for (const [name, template] of Object.entries(templates)) {
        for (const text of textElements(template)) {
          for (const colour of text.colours) {
            const pair = colours[colour];
            if (!pair) {
              failures.push(`${name}: "${text.where}" uses ${colour}, which Teams does not promise to show legibly on its card background`);
              continue;
            }
            // Teams' Bolder is 600: not bold enough for the large-text allowance.
            const ratio = contrastRatio(parseColour(text.subtle ? pair.subtle : pair.default), parseColour(background));
            const needed = requiredRatio(text.size, text.bold ? 600 : 400);
            if (ratio < needed) failures.push(`${name}: "${text.where}" ${colour}${text.subtle ? " subtle" : ""} ${ratio.toFixed(2)}:1 < ${needed}:1`);
          }
        }
      }
      assert.deepEqual(failures, []);
    });
  }

  it("the contrast check itself: black on white is 21:1, Teams' light-theme green on white fails", () => {
    assert.equal(Math.round(contrastRatio(parseColour("#000"), parseColour("#fff"))), 21);
    assert.ok(contrastRatio(parseColour(TEAMS.light.colours.good?.default ?? ""), parseColour("#fff")) < 3);
  });
});
