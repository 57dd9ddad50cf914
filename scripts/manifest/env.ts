/** Loads the variables used to fill the manifest, the way the rest of the project reads `env/`. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "dotenv";
import type { TemplateEnv } from "./fill";

/** The environment name used when `ENV_NAME` is not set. */
export const DEFAULT_ENV_NAME = "dev";

/** What {@link loadPackageEnv} read. */
export interface LoadedEnv {
  /** The environment name, e.g. `dev`. */
  readonly name: string;
  /** The merged variables: env file, then its `.user` file, then the process environment (last one wins). */
  readonly env: TemplateEnv;
  /** The env files that existed and were read, relative to the root. */
  readonly files: readonly string[];
}

/**
 * Reads `env/.env.<name>` then `env/.env.<name>.user` (each only if present) under `root`, then overlays
 * `processEnv`. The name comes from `processEnv.ENV_NAME`, default {@link DEFAULT_ENV_NAME}.
 * @throws Error if `ENV_NAME` is not a plain name (letters, digits, `-`, `_`).
 */
export function loadPackageEnv(root: string, processEnv: TemplateEnv = process.env): LoadedEnv {
  const name = processEnv.ENV_NAME?.trim() || DEFAULT_ENV_NAME;
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new Error(`ENV_NAME must be a plain name such as "dev" or "prod", not ${JSON.stringify(name)}.`);
  }
  const files: string[] = [];
  const merged: Record<string, string | undefined> = {};
  for (const file of [`env/.env.${name}`, `env/.env.${name}.user`]) {
    const full = path.join(root, file);
    if (!existsSync(full)) continue;
    Object.assign(merged, parse(readFileSync(full)));
    files.push(file);
  }
  for (const [key, value] of Object.entries(processEnv)) {
    if (value !== undefined) merged[key] = value;
  }
  return { name, env: merged, files };
}
