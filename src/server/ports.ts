/**
 * The small interfaces through which the engine and the Affinity client reach the platform.
 * Apps Script adapters live in src/server/gas; tests provide in-memory ones.
 */

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface HttpRequest {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  /** JSON text for writes. */
  payload?: string;
}

export interface HttpResponse {
  /** HTTP status; 0 when the request never got an answer (network error, timeout). */
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
  /** Set when status is 0: what went wrong, in words (never containing credentials). */
  error?: string;
}

export interface HttpPort {
  /** Sends the requests (in parallel where the platform can) and returns responses in the same order. */
  fetchAll(requests: HttpRequest[]): HttpResponse[];
}

export interface Clock {
  now(): number;
  sleep(ms: number): void;
}

export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): void;
  keys(): string[];
}

export interface LogPort {
  log(message: string): void;
}
