export { LocalDirectLine } from "./local-direct-line";
export type { LocalDirectLineOptions, WebChatGrant } from "./local-direct-line";
export { DEFAULT_LIMITS } from "./conversations";
export type { DirectLineLimits } from "./conversations";
export { DIRECT_LINE_PATH } from "./client-routes";
