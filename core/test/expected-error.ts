/**
 * The ExpectedError a call fails with, for tests that then check its kind and message. Any other
 * outcome fails the test: another error is rethrown as it is, success is an error of its own.
 */
import { ExpectedError } from "../src/errors.ts";

/** The ExpectedError the promise rejects with. */
export async function rejection(p: Promise<unknown>): Promise<ExpectedError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ExpectedError) return e;
    throw e;
  }
  throw new Error("expected an ExpectedError, the promise resolved");
}

/** The ExpectedError `f` throws. */
export function thrown(f: () => unknown): ExpectedError {
  try {
    f();
  } catch (e) {
    if (e instanceof ExpectedError) return e;
    throw e;
  }
  throw new Error("expected an ExpectedError, nothing was thrown");
}
