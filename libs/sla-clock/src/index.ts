export * from './duration';
export * from './policy.schema';
export * from './policy-file.parser';
export * from './policy.matcher';
export * from './clock/resolved-policy';
export * from './clock/target-clock';
export * from './clock/contact-clock';
export * from './calendar';
