import type { CombinedError } from 'urql';
import type { FieldPath, FieldValues, UseFormSetError } from 'react-hook-form';
import { errorCode, fieldProblemError, fieldProblems, type FieldProblem } from './errors';

/**
 * Puts a VALIDATION_FAILED error's `extensions.fields` onto a react-hook-form form: each problem whose
 * server path `toField` maps to a form field becomes that field's error (translated when shown, see
 * fieldProblemError), and the first such field gets the focus.
 *
 * Returns undefined when the error is not a field validation failure (the caller shows it as a
 * whole), otherwise the problems no form field took.
 */
export function setServerFieldErrors<T extends FieldValues>(
  error: CombinedError | undefined,
  setError: UseFormSetError<T>,
  toField: (serverPath: string) => FieldPath<T> | undefined,
): FieldProblem[] | undefined {
  const problems = fieldProblems(error);
  if (errorCode(error) !== 'VALIDATION_FAILED' || problems.length === 0) return undefined;
  const unplaced: FieldProblem[] = [];
  let focused = false;
  for (const problem of problems) {
    const name = toField(problem.field);
    if (!name) {
      unplaced.push(problem);
      continue;
    }
    setError(name, fieldProblemError(problem), { shouldFocus: !focused });
    focused = true;
  }
  return unplaced;
}

/**
 * Maps a mutation argument path ("input.administratorEmail", "input.integrationTypes[1]") to the form
 * field of the same name when the form has it, else to `fallback` (a form whose every problem belongs
 * to some field, e.g. a password form).
 */
export function inputFields<T extends FieldValues>(names: readonly FieldPath<T>[], fallback?: FieldPath<T>) {
  return (serverPath: string): FieldPath<T> | undefined => {
    const name = serverPath.replace(/^input\./, '').replace(/\[\d+\]$/, '');
    return names.find((n) => n === name) ?? fallback;
  };
}
