/** A validation problem as the error body lists it. */
export interface ProblemDetail {
  path: string;
  code: 'invalid';
  message: string;
}

/**
 * `path: message` problems (as the config parsers report them) to error details, in the same
 * shape as PUT /v1/policies answers.
 */
export function problemDetails(problems: readonly string[]): ProblemDetail[] {
  return problems.map((problem) => {
    const at = problem.indexOf(': ');
    return at < 0
      ? { path: '(root)', code: 'invalid', message: problem }
      : { path: problem.slice(0, at), code: 'invalid', message: problem.slice(at + 2) };
  });
}
