export * from './topics';
export * from './common.schema';
export * from './contact-event/contact-event.schema';
export * from './contact-event/contact-event.examples';
export * from './sla-event/sla-event.schema';
export * from './source-event/source-event.schema';
export * from './dead-letter/dead-letter';
export * from './validation';
