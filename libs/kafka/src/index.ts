export * from './kafka-client.factory';
export * from './topic-spec';
export * from './ensure-topics';
export * from './kafka-publisher';
export * from './dead-letter.publisher';
export * from './kafka-batch.server';
export * from './kafka.health';
export * from './decode-batch';
