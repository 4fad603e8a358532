export * from './redis-connection.factory';
export * from './redis.health';
export * from './contact-keys';
export * from './queue-view';
