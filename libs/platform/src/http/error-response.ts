export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details: readonly unknown[];
    requestId?: string;
  };
}

export function errorBody(
  code: string,
  message: string,
  details: readonly unknown[] = [],
  requestId?: string,
): ErrorBody {
  return { error: { code, message, details, requestId } };
}
