/**
 * An object that stands for the one `build()` returns, and calls `build()` the first time anything
 * is done with it: for clients built once per container that a request may never need, so the cold
 * start does not pay for them (their module graph is already loaded; building one still costs).
 *
 * Every operation is forwarded to the built object. Functions read from it come bound to it, the
 * same function each time, so a method passed around (as Bolt passes a client's) keeps its `this`.
 */
export function onFirstUse<T extends object>(build: () => T): T {
  let built: T | undefined;
  const target = (): T => {
    built ??= build();
    return built;
  };
  const bound = new WeakMap<object, unknown>();
  return new Proxy({} as T, {
    get(_standIn, key) {
      const object = target();
      const value: unknown = Reflect.get(object, key, object);
      if (typeof value !== 'function') return value;
      let method = bound.get(value);
      if (method === undefined) {
        method = value.bind(object);
        bound.set(value, method);
      }
      return method;
    },
    set: (_standIn, key, value) => Reflect.set(target(), key, value),
    has: (_standIn, key) => Reflect.has(target(), key),
    deleteProperty: (_standIn, key) => Reflect.deleteProperty(target(), key),
    defineProperty: (_standIn, key, descriptor) => Reflect.defineProperty(target(), key, descriptor),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_standIn, key) => Reflect.getOwnPropertyDescriptor(target(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
  });
}
