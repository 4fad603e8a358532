/**
 * An error with a stable, machine-readable code (`INGEST.SIGNATURE_INVALID`). Libraries throw these;
 * the HTTP layer maps `status` to the response. No framework types here, so domain code can use it.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
    readonly details: readonly unknown[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}
