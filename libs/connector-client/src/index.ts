export * from './replywatch-client';
export * from './replywatch-client.errors';
export type { FetchLike, ReplywatchClientOptions } from './replywatch-client.options';
export type { ConnectorEvent } from './connector-event.preparer';
export { eventIdFrom } from './event-id';
