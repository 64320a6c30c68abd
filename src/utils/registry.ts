/**
 * Name registries for serializable things (activations, initializers, losses, …). A lookup
 * accepts the Keras spelling ('he_normal') and the camelCase one ('heNormal'); the error for an
 * unknown name lists every accepted name.
 */
export function canonicalName(name: string): string {
  // 'he_normal', 'heNormal', 'HeNormal' and 'he-normal' all map to 'henormal'
  return name.replace(/[_\-\s]/g, '').toLowerCase();
}

export class NameRegistry<T> {
  private readonly entries = new Map<string, { name: string; value: T }>();

  constructor(readonly kind: string) {}

  /** Registers `value` under its Keras name and any aliases. */
  register(name: string, value: T, aliases: readonly string[] = []): void {
    for (const n of [name, ...aliases]) this.entries.set(canonicalName(n), { name, value });
  }

  has(name: string): boolean {
    return this.entries.has(canonicalName(name));
  }

  /** The registered (Keras) name for any accepted spelling. */
  kerasName(name: string): string {
    return this.lookup(name).name;
  }

  get(name: string): T {
    return this.lookup(name).value;
  }

  names(): string[] {
    return [...new Set([...this.entries.values()].map((e) => e.name))].sort();
  }

  private lookup(name: string): { name: string; value: T } {
    if (typeof name !== 'string') throw new TypeError(`unknown ${this.kind}: expected a name, got ${typeof name}`);
    const entry = this.entries.get(canonicalName(name));
    if (!entry) throw new Error(`unknown ${this.kind} '${name}'; expected one of: ${this.names().join(', ')}`);
    return entry;
  }
}
