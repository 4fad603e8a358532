export * from './duration';
export * from './policy.schema';
export * from './policy-file.parser';
export * from './policy.matcher';
export * from './first-response.deadline';
