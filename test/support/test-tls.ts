import fs from "node:fs";

/** The test run's TLS certificate and key (PEM), and the CA file the test process trusts. */
export interface TestTls {
  cert: string;
  key: string;
  caFile: string;
}

/**
 * The certificate `.mocharc.cjs` makes for the test run, valid for `localhost` and `127.0.0.1`, for a local HTTPS
 * stand-in to serve. The test process trusts it (NODE_EXTRA_CA_CERTS); a child process the tests start trusts it
 * only when its environment carries NODE_EXTRA_CA_CERTS={@link TestTls.caFile}.
 */
export function testTls(): TestTls {
  const certFile = process.env.TEST_TLS_CERT_FILE;
  const keyFile = process.env.TEST_TLS_KEY_FILE;
  const caFile = process.env.NODE_EXTRA_CA_CERTS;
  const missing = [
    ["TEST_TLS_CERT_FILE", certFile],
    ["TEST_TLS_KEY_FILE", keyFile],
    ["NODE_EXTRA_CA_CERTS", caFile],
  ].filter(([, file]) => !file || !fs.existsSync(file));
  if (missing.length > 0 || !certFile || !keyFile || !caFile) {
    throw new Error(
      `no test TLS certificate (${missing.map(([name]) => name).join(", ")} not set to a file): ` +
        "run through mocha's config (.mocharc.cjs), which makes the test certificate",
    );
  }
  return { cert: fs.readFileSync(certFile, "utf8"), key: fs.readFileSync(keyFile, "utf8"), caFile };
}
