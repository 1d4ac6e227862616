/** Logger (a service: counted) and console (a global: not counted); both record into harness.logs. */
import { format, inspect, types } from 'node:util';
import { ApiObject, type ClassMeta } from './api-base';

function stringify(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined || typeof v !== 'object') return String(v);
  if (types.isDate(v)) return String(v);
  if (
    Array.isArray(v) ||
    Object.getPrototypeOf(v) === null ||
    Object.getPrototypeOf(Object.getPrototypeOf(v)) === null
  ) {
    try {
      return JSON.stringify(v);
    } catch {
      return inspect(v);
    }
  }
  return String(v);
}

export class LoggerApi extends ApiObject {
  static override meta: ClassMeta = { service: 'Logger', name: '' };
  log(data: unknown, ...values: unknown[]): LoggerApi {
    let msg = stringify(data);
    if (values.length > 0 && typeof data === 'string') {
      let i = 0;
      msg = data.replace(/%(?:\.\d+)?[sdfi%]/g, (m) =>
        m === '%%' ? '%' : i < values.length ? stringify(values[i++]) : m,
      );
    }
    this.env.state.log('log', msg, this.env);
    return this;
  }
  clear(): void {
    this.env.state.loggerBuffer = [];
  }
  getLog(): string {
    return this.env.state.loggerBuffer.join('\n');
  }
}

/** Formats console.* arguments like the V8 runtime's console (util.format semantics). */
export function consoleLine(args: unknown[]): string {
  return format(...args);
}
