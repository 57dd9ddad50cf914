import { phoneHref } from "../../cards/render";
import { WEB_JOIN_EVENT } from "./web-channel";

/** What the page shows besides the chat: the helpdesk's phone, for anyone who cannot use the chat. */
export interface ChatPageOptions {
  helpdeskPhone: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/**
 * The web chat page: an NHS-blue header, one clear title and sentence, the helpdesk's phone, and Bot Framework Web
 * Chat filling the rest. No inline script (the page's Content-Security-Policy allows only its own files); it works at
 * 320 px wide, with a keyboard and with a screen reader (landmarks, a skip link, a labelled log).
 */
export function chatPageHtml(options: ChatPageOptions): string {
  const phone = escapeHtml(options.helpdeskPhone);
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Get back into your NHSmail account – NHSmail helpdesk</title>
<link rel="stylesheet" href="/chat/chat.css">
</head>
<body>
<a class="skip" href="#chat">Skip to the chat</a>
<header class="banner">
  <p class="service">NHSmail helpdesk</p>
</header>
<main>
  <div class="intro">
    <h1>Get back into your NHSmail account</h1>
    <p>Reset a forgotten or expired password, get help with your first login, or talk to the helpdesk, without signing in to Teams.</p>
    <p>Can't use the chat? Call the helpdesk on <a href="${escapeHtml(phoneHref(options.helpdeskPhone))}">${phone}</a>.</p>
  </div>
  <section id="chat" class="chat" aria-label="Chat with the NHSmail helpdesk" tabindex="-1">
    <p class="loading" role="status">Starting the chat…</p>
  </section>
</main>
<script src="/chat/webchat.js"></script>
<script src="/chat/app.js"></script>
</body>
</html>
`;
}

/** The page's styles: NHS blue (#005EB8) with white text is 5.9:1; body text #212B32 on white is 14:1. */
export const CHAT_PAGE_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; font-family: Arial, Helvetica, sans-serif; font-size: 1rem; line-height: 1.5; color: #212b32; background: #f0f4f5; }
.skip { position: absolute; left: -9999px; top: 0; padding: 0.5rem 1rem; background: #ffeb3b; color: #212b32; z-index: 10; }
.skip:focus { left: 0.5rem; top: 0.5rem; }
.banner { background: #005eb8; color: #ffffff; padding: 0.75rem 1rem; }
.service { margin: 0; font-weight: 700; font-size: 1.125rem; }
main { flex: 1; display: flex; flex-direction: column; width: 100%; max-width: 48rem; margin: 0 auto; min-height: 0; }
.intro { padding: 1rem 1rem 0.5rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 0.5rem; }
.intro p { margin: 0 0 0.5rem; }
a { color: #005eb8; }
a:focus, .skip:focus { outline: 3px solid #ffeb3b; outline-offset: 0; box-shadow: 0 4px 0 #212b32; }
.chat { flex: 1; min-height: 24rem; background: #ffffff; border-top: 4px solid #005eb8; display: flex; flex-direction: column; }
.chat:focus { outline: 3px solid #ffeb3b; }
.chat > div { flex: 1; min-height: 0; }
.loading, .failed { padding: 1rem; margin: 0; }
/* Web Chat's own blue for a card's main button is 4.49:1 with white; NHS blue is 5.9:1. */
#chat .ac-pushButton.style-positive, #chat .ac-pushButton.style-positive:hover { background-color: #005eb8 !important; border-color: #005eb8 !important; color: #ffffff !important; }
@media (max-width: 400px) { h1 { font-size: 1.25rem; } .intro { padding: 0.75rem 0.75rem 0.25rem; } }
`;

/**
 * The page's script: gets a conversation token from the bot (`POST /api/webchat/token`), then renders Web Chat on
 * Direct Line with it. The Direct Line client refreshes the token itself before it expires. If the token cannot be
 * had, the page says so and points to the helpdesk's phone.
 */
export const CHAT_PAGE_SCRIPT = `
(function () {
  "use strict";
  var host = document.getElementById("chat");
  function fail(text) {
    host.innerHTML = "";
    var p = document.createElement("p");
    p.className = "failed";
    p.setAttribute("role", "alert");
    p.textContent = text;
    host.appendChild(p);
  }
  fetch("/api/webchat/token", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })
    .then(function (response) {
      if (response.status === 429) throw new Error("busy");
      if (!response.ok) throw new Error("unavailable");
      return response.json();
    })
    .then(function (answer) {
      host.innerHTML = "";
      var directLine = window.WebChat.createDirectLine({ token: answer.token, domain: answer.domain, webSocket: true });
      window.WebChat.renderWebChat(
        {
          directLine: directLine,
          locale: "en-GB",
          styleOptions: {
            accent: "#005eb8",
            primaryFont: "Arial, Helvetica, sans-serif",
            bubbleBackground: "#ffffff",
            bubbleBorderColor: "#aeb7bd",
            bubbleFromUserBackground: "#e8f1f8",
            bubbleFromUserBorderColor: "#005eb8",
            sendBoxButtonColor: "#005eb8",
            subtle: "#4c6272",
            timestampColor: "#4c6272",
            hideUploadButton: true,
            sendBoxTextWrap: true,
            botAvatarInitials: "NHS",
            userAvatarInitials: "You"
          }
        },
        host
      );
      directLine.postActivity({ type: "event", name: ${JSON.stringify(WEB_JOIN_EVENT)}, from: { id: "me" } }).subscribe(function () {}, function () {});
      // Web Chat copies each card into a screen-reader live region, with unlabelled copies of its boxes: name them
      // after the card's own labels, so that what a screen reader announces makes sense.
      new MutationObserver(function () {
        var copies = host.querySelectorAll(".webchat__live-region-activity input:not([aria-label])");
        for (var i = 0; i < copies.length; i++) {
          var label = copies[i].closest("label");
          copies[i].setAttribute("aria-label", ((label && label.textContent) || "").trim() || "A box on the card above");
        }
      }).observe(host, { childList: true, subtree: true });
    })
    .catch(function (error) {
      fail(error && error.message === "busy"
        ? "The chat is very busy just now. Please try again in a few minutes, or call the helpdesk."
        : "Sorry, the chat couldn't start. Please try again in a few minutes, or call the helpdesk.");
    });
})();
`;
