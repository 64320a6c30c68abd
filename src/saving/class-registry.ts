/**
 * Serializable classes by their stable `className` (minifiers rename constructors, so the
 * name is a static string, never `constructor.name`). Layers, models and anything else that
 * round-trips through `{ className, config }` register here.
 */
export interface Deserializable<T> {
  className: string;
  fromConfig(config: Record<string, unknown>): T;
}

const classes = new Map<string, Deserializable<unknown>>();

export function registerClass<T>(cls: Deserializable<T>): void {
  if (typeof cls.className !== 'string' || !cls.className) throw new TypeError('registerClass: the class needs a static className');
  classes.set(cls.className, cls);
}

export function getClass<T>(className: string): Deserializable<T> {
  const cls = classes.get(className);
  if (!cls) {
    throw new Error(`unknown class '${className}': register custom layers with gf.registerClass(MyLayer) ` +
      `before loading (known: ${[...classes.keys()].sort().join(', ')})`);
  }
  return cls as Deserializable<T>;
}

export function registeredClassNames(): string[] {
  return [...classes.keys()].sort();
}

/** `{ className, config }` → instance. */
export function deserialize<T>(spec: { className: string; config?: Record<string, unknown> }): T {
  if (!spec || typeof spec.className !== 'string') throw new TypeError(`deserialize: expected { className, config }, got ${JSON.stringify(spec)}`);
  return getClass<T>(spec.className).fromConfig(spec.config ?? {});
}
