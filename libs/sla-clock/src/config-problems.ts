import type { z } from 'zod';

/** `path.to.field: message` for each problem of a config document (`(root)` for the whole). */
export function configProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${path === '' ? '(root)' : path}: ${issue.message}`;
  });
}
