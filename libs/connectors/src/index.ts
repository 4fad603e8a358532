export * from './connector.types';
export * from './signature';
