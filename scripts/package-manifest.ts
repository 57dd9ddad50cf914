/**
 * `npm run package`: fills manifest/manifest.json from env/.env.<ENV_NAME> (default dev), its .user file and the
 * process environment, and writes build/appPackage.<ENV_NAME>.zip ready to upload to Teams.
 */
import path from "node:path";
import { loadPackageEnv } from "./manifest/env";
import { buildAppPackage } from "./manifest/package";

const root = path.resolve(__dirname, "..");

try {
  const { name, env, files } = loadPackageEnv(root);
  if (!files.includes(`env/.env.${name}`)) console.warn(`Note: env/.env.${name} not found; using the environment only.`);
  const read = files.length > 0 ? files.join(", ") : "no env files";
  const { zipPath } = buildAppPackage({ env, envName: name, outDir: path.join(root, "build") });
  console.log(`Teams app package written to ${path.relative(process.cwd(), zipPath)} (from ${read} and the environment).`);
} catch (error: unknown) {
  console.error(`Could not build the Teams app package: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
