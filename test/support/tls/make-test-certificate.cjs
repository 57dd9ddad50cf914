// Makes a short-lived, self-signed TLS certificate for the local stand-ins (`localhost` and `127.0.0.1`), writing
// `cert.pem` and `key.pem` into the folder named by the first argument. Run by `.mocharc.cjs` before the tests start,
// so the test process can trust the certificate through NODE_EXTRA_CA_CERTS.
const fs = require("node:fs");
const path = require("node:path");
const selfsigned = require("selfsigned");

async function main(dir) {
  if (!dir) throw new Error("usage: make-test-certificate.cjs <folder>");
  const notBeforeDate = new Date(Date.now() - 60 * 60 * 1000);
  const notAfterDate = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000);
  const pems = await selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  fs.writeFileSync(path.join(dir, "key.pem"), pems.private, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, "cert.pem"), pems.cert);
}

main(process.argv[2]).catch((err) => {
  console.error(`test certificate not made: ${err && err.message ? err.message : String(err)}`);
  process.exitCode = 1;
});
