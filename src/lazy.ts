// Start-up's one trick, kept at the edge: a part of the bundle (a chunk: the wait, an SDK client seldom used) is
// loaded when first needed, not compiled before the first AWS request. `warm()` starts the load early (the wait's
// chunk while UpdateService is in flight), so it is ready when needed; a failed load is reported where it is awaited.

export interface Lazy<T> {
  load: () => Promise<T>;
  warm: () => void;
  /** The load, if it has started: what was never loaded need not be closed. */
  started: () => Promise<T> | undefined;
}

/** `make`, called once, on the first `load()` or `warm()`. */
export function lazy<T>(make: () => Promise<T>): Lazy<T> {
  let made: Promise<T> | undefined;
  const load = () => {
    made ??= make();
    return made;
  };
  return { load, warm: () => void load().catch(() => undefined), started: () => made };
}
