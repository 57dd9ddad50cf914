/**
 * Reads one secret from standard input. From a pipe or file: everything up to the end, less one trailing line
 * break. From a terminal: one line typed without echo (raw mode) after a prompt on standard error; Ctrl+C aborts.
 */
export async function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = "";
      const onData = (text: string): void => {
        for (const ch of text) {
          if (ch === "\r" || ch === "\n") {
            stdin.off("data", onData);
            return resolve(typed);
          }
          if (ch === "\u0003") {
            stdin.off("data", onData);
            return reject(new Error("cancelled"));
          }
          typed = ch === "\u007f" || ch === "\b" ? [...typed].slice(0, -1).join("") : typed + ch;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write("\n");
  }
}
