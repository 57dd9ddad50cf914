/** The channel id of Direct Line: what the web chat page's turns arrive as. */
export const WEB_CHANNEL = "directline";
/** The event the web chat page sends once the chat is on screen: the bot answers with its welcome. */
export const WEB_JOIN_EVENT = "webchat/join";
