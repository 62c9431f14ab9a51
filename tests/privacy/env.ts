/**
 * Runs `f` with environment variables set (undefined: unset) and puts them back afterwards, also
 * when `f` throws or its promise rejects.
 */
export function withEnv<T>(vars: Record<string, string | undefined>, f: () => T): T {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v))
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
  };
  apply(vars);
  let r: T;
  try {
    r = f();
  } catch (e) {
    apply(before);
    throw e;
  }
  if (r instanceof Promise) return r.finally(() => apply(before)) as T;
  apply(before);
  return r;
}
