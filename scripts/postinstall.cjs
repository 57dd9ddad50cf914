// After `npm install` / `npm ci`: build the password data from the pinned npm password lists (the common-password
// terms and list hashes, and the default breached-password index).
// Runs from source when the TypeScript runner is installed, else from a build; otherwise the service builds the
// index on its first start. Never fails the install.
const path = require("node:path");
const root = path.resolve(__dirname, "..");

function load(module) {
  try {
    require("tsx/cjs");
    return require(path.join(root, `src/policy/${module}.ts`));
  } catch {
    try {
      return require(path.join(root, `dist/src/policy/${module}.js`));
    } catch {
      return undefined;
    }
  }
}

const common = load("common/index");
try {
  if (common) common.ensureBannedTerms(root);
  console.log(`common-password data: ${common ? "ready" : "will be built when the bot first starts"}`);
} catch (err) {
  console.warn(`common-password data not built (${err.message}); the bot will build it on first start`);
}

const install = load("breach/install");
if (!install) {
  console.log("breached-password index: will be built when the bot first starts");
} else {
  install.ensureDefaultIndex(root).then(
    (outcome) => console.log(`breached-password index: ${outcome}`),
    (err) => console.warn(`breached-password index not built (${err.message}); the bot will build it on first start`),
  );
}
