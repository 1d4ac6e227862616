/**
 * Base of every object a service hands to the script. Public prototype methods (not starting with
 * '_') become the script-facing methods; each call is counted as `service.name.method` (or
 * `service.method` for the service itself) and charged by `costAs` (default: the service).
 */
import type { Env } from './env';

export interface ClassMeta {
  service: string;
  /** '' for the service object itself. */
  name: string;
  /** Cost category (see costs.ts baseCallCost); defaults to the service. */
  costAs?: string;
  /** Enums exposed as properties of this object: property name → enum name in enums.ts. */
  enums?: Record<string, string>;
}

export abstract class ApiObject {
  static meta: ClassMeta;
  constructor(readonly env: Env) {}
}

export type ApiClass = (abstract new (...args: never[]) => ApiObject) & { meta: ClassMeta };

/** Public method names of an API class (own and inherited, up to ApiObject). */
export function apiMethodNames(cls: ApiClass): string[] {
  const names = new Set<string>();
  let proto = cls.prototype as object | null;
  while (proto && proto !== ApiObject.prototype && proto !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name === 'toString' || name.startsWith('_')) continue;
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (d && typeof d.value === 'function') names.add(name);
    }
    proto = Object.getPrototypeOf(proto);
  }
  return [...names];
}

/** Coerce an enum argument (script enum object, or a name string) to its name. */
export function enumName(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}
