import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ValidateFunction } from "ajv";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { unzipSync, strFromU8 } from "fflate";
import { PNG } from "pngjs";
import { loadPackageEnv } from "../../scripts/manifest/env";
import { fillTemplate, findPlaceholders, UnfilledPlaceholdersError, type JsonValue } from "../../scripts/manifest/fill";
import { renderColorIcon, renderOutlineIcon } from "../../scripts/manifest/make-icons";
import { buildAppPackage, PackageConfigError } from "../../scripts/manifest/package";
import { MANIFEST_DIR, manifestCommandTitles, readManifestTemplate } from "../../scripts/manifest/template";

const SAMPLE_ENV = {
  TEAMS_APP_ID: "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
  BOT_ID: "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
  APP_NAME_SUFFIX: " (dev)",
};

type Json = { [key: string]: JsonValue };

function asObject(value: JsonValue | undefined): Json {
  assert.ok(value !== null && typeof value === "object" && !Array.isArray(value), "expected a JSON object");
  return value;
}

function stringAt(value: Json, key: string): string {
  const item = value[key];
  assert.equal(typeof item, "string", `${key} should be a string`);
  return item as string;
}

function filledManifest(): Json {
  return asObject(fillTemplate(readManifestTemplate(), SAMPLE_ENV));
}

/** Microsoft's published schema for a manifest version, as shipped in @microsoft/app-manifest. */
function publishedSchema(manifestVersion: string): Json {
  const pkg = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
  const file = path.join(pkg, "build", "json-schemas", "teams", `v${manifestVersion}`, "MicrosoftTeams.schema.json");
  return JSON.parse(readFileSync(file, "utf8")) as Json;
}

const validators = new Map<string, ValidateFunction>();

/** Errors from validating `manifest` against the published schema of its own manifestVersion (draft-04). */
function schemaErrors(manifest: Json): string[] {
  const version = stringAt(manifest, "manifestVersion");
  let validate = validators.get(version);
  if (!validate) {
    const schema = publishedSchema(version);
    assert.equal(schema.$schema, "http://json-schema.org/draft-04/schema#");
    const ajv = new Ajv({ allErrors: true, strictTypes: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
    validators.set(version, validate);
  }
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}

function readPng(file: string): PNG {
  return PNG.sync.read(readFileSync(path.join(MANIFEST_DIR, file)));
}

describe("Teams app manifest", () => {
  it("uses exactly the TEAMS_APP_ID, BOT_ID and APP_NAME_SUFFIX placeholders", () => {
    assert.deepEqual(findPlaceholders(readManifestTemplate()), ["APP_NAME_SUFFIX", "BOT_ID", "TEAMS_APP_ID"]);
  });

  it("validates against Microsoft's published schema once filled", () => {
    const manifest = filledManifest();
    assert.equal(manifest.$schema,
      `https://developer.microsoft.com/json-schemas/teams/v${stringAt(manifest, "manifestVersion")}/MicrosoftTeams.schema.json`);
    assert.deepEqual(schemaErrors(manifest), []);
    assert.doesNotMatch(JSON.stringify(manifest), /\$\{\{/);
    assert.equal(manifest.id, SAMPLE_ENV.TEAMS_APP_ID);
    assert.equal(asObject(manifest.name).short, "NHSmail helpdesk (dev)");
  });

  it("is rejected by the schema when a filled value is not allowed", () => {
    const badBot = fillTemplate(readManifestTemplate(), { ...SAMPLE_ENV, BOT_ID: "not-a-guid" });
    assert.match(schemaErrors(asObject(badBot)).join("\n"), /\/bots\/0\/botId/);
    const longName = fillTemplate(readManifestTemplate(), { ...SAMPLE_ENV, APP_NAME_SUFFIX: " for a very long suffix" });
    assert.match(schemaErrors(asObject(longName)).join("\n"), /\/name\/short/);
  });

  it("declares a conversational bot in personal, team and group chat without files", () => {
    const bots = filledManifest().bots;
    assert.ok(Array.isArray(bots) && bots.length === 1);
    const bot = asObject(bots[0]);
    assert.equal(bot.botId, SAMPLE_ENV.BOT_ID);
    assert.deepEqual(bot.scopes, ["personal", "team", "groupChat"]);
    assert.equal(bot.supportsFiles, false);
    assert.equal(bot.isNotificationOnly, false);
  });

  it("asks the team's consent to read its channel messages, so agents' replies in a request thread reach the bot", () => {
    const manifest = filledManifest();
    assert.deepEqual(manifest.authorization, { permissions: { resourceSpecific: [{ name: "ChannelMessage.Read.Group", type: "Application" }] } });
    // Microsoft's RSC instructions (manifest 1.12 and later) also ask for webApplicationInfo naming the app's Entra
    // app (the bot's); its resource has no use in RSC but must be set.
    assert.deepEqual(manifest.webApplicationInfo, { id: SAMPLE_ENV.BOT_ID, resource: `api://botid-${SAMPLE_ENV.BOT_ID}` });
    assert.deepEqual(schemaErrors(manifest), []);
    // Only the team's channel messages: no chat-wide or tenant-wide permission rides along.
    assert.doesNotMatch(JSON.stringify(manifest), /ChatMessage\.Read|\.All"/);
  });

  it("lists the routed commands for personal scope, each with a one-line description", () => {
    const bot = asObject((filledManifest().bots as JsonValue[])[0]);
    const lists = (bot.commandLists as JsonValue[]).map(asObject);
    const personal = lists.filter((list) => (list.scopes as JsonValue[]).includes("personal"));
    assert.equal(personal.length, 1);
    const commands = (personal[0].commands as JsonValue[]).map(asObject);
    assert.deepEqual(commands.map((c) => c.title),
      ["reset my password", "I'm a new user", "talk to a person", "help", "cancel"]);
    for (const command of commands) {
      const description = stringAt(command, "description");
      assert.ok(description.length > 0 && !description.includes("\n"), stringAt(command, "title"));
    }
    assert.deepEqual(manifestCommandTitles(), commands.map((c) => c.title));
  });
});

describe("manifest placeholder filling", () => {
  it("fails naming every placeholder left without a value", () => {
    assert.throws(() => fillTemplate(readManifestTemplate(), { BOT_ID: SAMPLE_ENV.BOT_ID }), (error: unknown) => {
      assert.ok(error instanceof UnfilledPlaceholdersError);
      assert.deepEqual(error.missing, ["APP_NAME_SUFFIX", "TEAMS_APP_ID"]);
      assert.match(error.message, /APP_NAME_SUFFIX, TEAMS_APP_ID/);
      return true;
    });
  });

  it("treats an empty string as a value and keeps JSON-special characters intact", () => {
    const template: JsonValue = { a: "x${{ EMPTY }}y", b: ["${{Q}}", 3, null, { c: "${{Q}}${{Q}}" }] };
    assert.deepEqual(fillTemplate(template, { EMPTY: "", Q: `"\\` }),
      { a: "xy", b: [`"\\`, 3, null, { c: `"\\"\\` }] });
  });
});

describe("manifest icons", () => {
  it("has a 192×192 opaque colour icon made by the generator", () => {
    const color = readPng("color.png");
    assert.equal(color.width, 192);
    assert.equal(color.height, 192);
    for (let i = 3; i < color.data.length; i += 4) assert.equal(color.data[i], 255);
    assert.deepEqual([...color.data.subarray(0, 3)], [0x00, 0x5e, 0xb8]);
    assert.ok(color.data.equals(PNG.sync.read(renderColorIcon()).data), "color.png differs from make-icons output");
  });

  it("has a 32×32 outline icon of white on transparent, made by the generator", () => {
    const outline = readPng("outline.png");
    assert.equal(outline.width, 32);
    assert.equal(outline.height, 32);
    const alphas = new Set<number>();
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      alphas.add(a);
      if (a > 0) assert.deepEqual([r, g, b], [255, 255, 255], `pixel ${i / 4} is not white`);
    }
    assert.ok(alphas.has(0) && alphas.has(255), "outline needs both transparent and solid pixels");
    assert.equal(outline.data[3], 0, "the corner must be transparent");
    assert.ok(outline.data.equals(PNG.sync.read(renderOutlineIcon()).data), "outline.png differs from make-icons output");
  });
});

describe("app package", () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), "app-package-")); });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  it("zips exactly the filled manifest and both icons at the root", () => {
    const { zipPath, manifest } = buildAppPackage({ env: SAMPLE_ENV, envName: "test", outDir: dir });
    assert.equal(zipPath, path.join(dir, "appPackage.test.zip"));
    const entries = unzipSync(readFileSync(zipPath));
    assert.deepEqual(Object.keys(entries).sort(), ["color.png", "manifest.json", "outline.png"]);
    const zipped = JSON.parse(strFromU8(entries["manifest.json"])) as JsonValue;
    assert.deepEqual(zipped, manifest);
    assert.deepEqual(zipped, filledManifest());
    for (const icon of ["color.png", "outline.png"]) {
      assert.ok(Buffer.from(entries[icon]).equals(readFileSync(path.join(MANIFEST_DIR, icon))), icon);
    }
  });

  it("refuses to package without a GUID BOT_ID and says where to set it", () => {
    for (const BOT_ID of [undefined, "", "my-bot"]) {
      assert.throws(() => buildAppPackage({ env: { ...SAMPLE_ENV, BOT_ID }, envName: "dev", outDir: dir }),
        (error: unknown) => error instanceof PackageConfigError && /BOT_ID/.test(error.message) &&
          error.message.includes("env/.env.dev.user"));
    }
  });

  it("fails listing unfilled placeholders when the ids are set but the suffix is not", () => {
    const env = { ...SAMPLE_ENV, APP_NAME_SUFFIX: undefined };
    assert.throws(() => buildAppPackage({ env, envName: "dev", outDir: dir }),
      (error: unknown) => error instanceof UnfilledPlaceholdersError && error.missing.join() === "APP_NAME_SUFFIX");
  });

  it("reads env/.env.<name>, then its .user file, then the process environment", () => {
    mkdirSync(path.join(dir, "env"));
    writeFileSync(path.join(dir, "env", ".env.dev"), "A=file\nB=file\nC=file\n");
    writeFileSync(path.join(dir, "env", ".env.dev.user"), "B=user\nC=user\n");
    writeFileSync(path.join(dir, "env", ".env.prod"), "A=prod\n");
    const dev = loadPackageEnv(dir, { C: "process" });
    assert.equal(dev.name, "dev");
    assert.deepEqual(dev.files, ["env/.env.dev", "env/.env.dev.user"]);
    assert.deepEqual([dev.env.A, dev.env.B, dev.env.C], ["file", "user", "process"]);
    const prod = loadPackageEnv(dir, { ENV_NAME: "prod" });
    assert.deepEqual([prod.name, prod.env.A, prod.env.B], ["prod", "prod", undefined]);
    assert.throws(() => loadPackageEnv(dir, { ENV_NAME: "../secrets" }), /ENV_NAME/);
  });
});
