import { DirectLine } from "botframework-directlinejs";
import type { Activity as ClientActivity, DirectLineOptions } from "botframework-directlinejs";
import type { Subscription } from "rxjs/Subscription";
import WebSocket from "ws";
import XMLHttpRequest from "xhr2";

/**
 * Gives Node what the Direct Line client takes from a browser: `XMLHttpRequest` (its Ajax) and `WebSocket` (it uses a
 * WebSocket only when one exists globally). Returns a function that takes them away again.
 */
export function installBrowserGlobals(): () => void {
  const added = Object.entries({ XMLHttpRequest, WebSocket }).filter(([name]) => !(name in globalThis));
  for (const [name, value] of added) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  return () => added.forEach(([name]) => Reflect.deleteProperty(globalThis, name));
}

/** The WebSocket the client is given: the `ws` client, noting each URL it opens. */
export class RecordingWebSocket extends WebSocket {
  static readonly opened: string[] = [];
  constructor(url: string) {
    super(url);
    RecordingWebSocket.opened.push(url);
  }
}

/** The real Direct Line client with everything it has received. */
export class DirectLineClient {
  readonly client: DirectLine;
  readonly received: ClientActivity[] = [];
  private readonly subscription: Subscription;

  constructor(options: DirectLineOptions) {
    // The ws client is what a browser's WebSocket is to the Direct Line client (it uses onopen/onmessage/onclose/send/close).
    this.client = new DirectLine({ webSocket: true, WebSocket: RecordingWebSocket as unknown as typeof globalThis.WebSocket, ...options });
    this.subscription = this.client.activity$.subscribe((activity) => this.received.push(activity));
  }

  /** Posts an activity; resolves with its id. */
  post(activity: ClientActivity): Promise<string> {
    return new Promise((resolve, reject) => {
      this.client.postActivity(activity).subscribe({ next: (id: unknown) => resolve(String(id)), error: (err: unknown) => reject(err instanceof Error ? err : new Error(`post failed: ${JSON.stringify(err)}`)) });
    });
  }

  /** Stops listening and closes the WebSocket. */
  end(): void {
    this.subscription.unsubscribe();
    this.client.end();
  }
}

/** The user id a Direct Line token carries (its `user` claim). */
export function userIdOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { user?: unknown };
  if (typeof payload.user !== "string") throw new Error("no user in the token");
  return payload.user;
}
