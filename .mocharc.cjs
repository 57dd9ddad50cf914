// Mocha's settings for `npm test` and `npx mocha <file>`.
//
// Loading this file also makes a TLS certificate for the local HTTPS stand-ins (localhost and 127.0.0.1) and trusts
// it through NODE_EXTRA_CA_CERTS. Node reads that variable only when a process starts; mocha runs the tests in a
// child process (because `node-option` is set), which inherits this process's environment, so the setting reaches
// the test process. A caller that already names the certificate files (a nested run) keeps them.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

/** The tests `npm test` runs when no file or `--spec` is named on the command line. */
const DEFAULT_SPEC = "test/**/*.test.ts";

function isFile(file) {
  try {
    return Boolean(file) && fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Makes the test certificate in a fresh temporary folder (removed when this process exits) and names it in
 * NODE_EXTRA_CA_CERTS, TEST_TLS_CERT_FILE and TEST_TLS_KEY_FILE. A CA file the caller already trusts stays trusted:
 * it goes into the bundle ahead of the test certificate.
 */
function ensureTestCertificate() {
  const env = process.env;
  if (isFile(env.NODE_EXTRA_CA_CERTS) && isFile(env.TEST_TLS_CERT_FILE) && isFile(env.TEST_TLS_KEY_FILE)) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helpdesk-test-tls-"));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  execFileSync(process.execPath, [path.join(__dirname, "test/support/tls/make-test-certificate.cjs"), dir], {
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 30_000,
  });
  const cert = path.join(dir, "cert.pem");
  let caFile = cert;
  if (isFile(env.NODE_EXTRA_CA_CERTS)) {
    caFile = path.join(dir, "ca-bundle.pem");
    fs.writeFileSync(caFile, `${fs.readFileSync(env.NODE_EXTRA_CA_CERTS, "utf8").trimEnd()}\n${fs.readFileSync(cert, "utf8")}`);
  }
  env.NODE_EXTRA_CA_CERTS = caFile;
  env.TEST_TLS_CERT_FILE = cert;
  env.TEST_TLS_KEY_FILE = path.join(dir, "key.pem");
}

/**
 * True when the command line names test files (positionally or with `--spec`, also through MOCHA_OPTIONS), read with
 * mocha's own parser and no config file. Mocha appends a config file's `spec` to positional files rather than
 * replacing it, so the default spec is given only when nothing is named.
 */
function specNamedOnCommandLine() {
  try {
    const { loadOptions } = require("mocha/lib/cli/options");
    const args = loadOptions([...process.argv.slice(2), "--no-config", "--no-package"]);
    return (args._ ?? []).some((arg) => arg !== "inspect");
  } catch {
    return false;
  }
}

ensureTestCertificate();

module.exports = {
  require: ["tsx/cjs"],
  extension: ["ts"],
  ...(specNamedOnCommandLine() ? {} : { spec: [DEFAULT_SPEC] }),
  recursive: true,
  timeout: 20000,
  exit: true,
  "node-option": ["disable-warning=DEP0111"],
};
