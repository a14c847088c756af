/**
 * A value made on first use and kept for the container's life; a failed attempt is not kept, so
 * the next invocation tries again (a secret stored after the first request, a throttled call).
 * Concurrent first calls share one attempt.
 */
export function oncePerContainer<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (pending === undefined) {
      // Through an async function, so a synchronous throw in `make` is a rejection like any other.
      const attempt = (async () => make())();
      pending = attempt;
      attempt.catch(() => {
        if (pending === attempt) pending = undefined;
      });
    }
    return pending;
  };
}
