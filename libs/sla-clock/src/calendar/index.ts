export * from './calendar.schema';
export * from './calendar.parser';
export {
  addBusinessMs,
  BusinessTimeError,
  businessMsBetween,
  MAX_LOOKAHEAD_DAYS,
  openIntervals,
} from './business-time';
export * from './business-time.oracle';
