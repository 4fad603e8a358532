export * from './entities/alert.entity';
export * from './entities/alert-event.entity';
export * from './entities/notification.entity';
export * from './entities/notification-attempt.entity';
export * from './data-source.factory';
export * from './postgres.health';
