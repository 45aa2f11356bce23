/**
 * A value the program makes after some of those who wait for it: the VPC endpoint policies are
 * built last (from every area's uses), but the invocations in earlier areas must run after them.
 * Resources take the promise in `dependsOn`; Pulumi registers them once it settles. A program that
 * never sets it would wait forever, so `set` is the line after the thing is built, in index.ts.
 */
export interface Later<T> {
  readonly value: Promise<T>;
  set(value: T): void;
}

export function later<T>(): Later<T> {
  let resolve: (value: T) => void = () => undefined;
  let settled = false;
  const value = new Promise<T>((r) => (resolve = r));
  return {
    value,
    set(v: T) {
      if (settled) throw new Error("a later value was set twice");
      settled = true;
      resolve(v);
    },
  };
}
