/**
 * Thin adapters from the ports to Apps Script services (UrlFetchApp, PropertiesService, Utilities, Session, console),
 * and the platform's formatting of dates. Only gas/ touches Apps Script globals.
 */
import type { Clock, HttpPort, HttpRequest, HttpResponse, KeyValueStore, LogPort } from '../ports';

function lowerCaseHeaders(headers: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

function toParams(r: HttpRequest): GoogleAppsScript.URL_Fetch.URLFetchRequest {
  const params: GoogleAppsScript.URL_Fetch.URLFetchRequest = {
    url: r.url,
    method: r.method,
    headers: r.headers,
    muteHttpExceptions: true,
    followRedirects: false,
  };
  if (r.payload !== undefined) {
    params.payload = r.payload;
    params.contentType = 'application/json';
  }
  return params;
}

function fromResponse(res: GoogleAppsScript.URL_Fetch.HTTPResponse): HttpResponse {
  return { status: res.getResponseCode(), headers: lowerCaseHeaders(res.getAllHeaders()), body: res.getContentText() };
}

/** The platform's message for a failed request, without the URL's query (cursor) or anything sent in headers. */
function networkError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/https?:\/\/\S+/g, (u) => u.split('?')[0]).slice(0, 200);
}

/** What the HTTP adapter reports after each fetchAll: UrlFetch calls made, the responses, when they were sent. */
export type FetchObserver = (calls: number, responses: HttpResponse[], sentAt: number, requests: HttpRequest[]) => void;

/** The HTTP port over UrlFetchApp.fetchAll; `observe` sees every batch (the usage ledger, sync/usage.ts). */
export function urlFetchHttp(observe: FetchObserver): HttpPort {
  return {
    fetchAll(requests: HttpRequest[]): HttpResponse[] {
      if (requests.length === 0) return [];
      let responses: HttpResponse[];
      let calls = requests.length;
      const sentAt = Date.now();
      try {
        responses = UrlFetchApp.fetchAll(requests.map(toParams)).map(fromResponse);
      } catch (batchError) {
        // One request's network failure fails the whole batch: send one by one to tell which.
        if (requests.length === 1) responses = [{ status: 0, headers: {}, body: '', error: networkError(batchError) }];
        else {
          calls += requests.length;
          responses = requests.map((r) => {
            try {
              return fromResponse(UrlFetchApp.fetch(r.url, toParams(r)));
            } catch (e) {
              return { status: 0, headers: {}, body: '', error: networkError(e) };
            }
          });
        }
      }
      observe(calls, responses, sentAt, requests);
      return responses;
    },
  };
}

export const gasClock: Clock = {
  now: () => Date.now(),
  sleep: (ms: number) => {
    if (ms > 0) Utilities.sleep(Math.min(ms, 300_000));
  },
};

export const gasLog: LogPort = {
  log: (message: string) => console.log(message),
};

export function propertiesStore(props: GoogleAppsScript.Properties.Properties): KeyValueStore {
  return {
    get: (key) => props.getProperty(key),
    set: (key, value) => {
      props.setProperty(key, value);
    },
    delete: (key) => {
      props.deleteProperty(key);
    },
    keys: () => props.getKeys(),
  };
}

export const userStore = (): KeyValueStore => propertiesStore(PropertiesService.getUserProperties());
export const documentStore = (): KeyValueStore => propertiesStore(PropertiesService.getDocumentProperties());

/** Local wall-clock text of an instant in a time zone, by the platform's formatter. */
export function wallClockIn(timeZone: string): (ms: number) => string {
  return (ms) => Utilities.formatDate(new Date(ms), timeZone, "yyyy-MM-dd'T'HH:mm:ss");
}

/** Local time of now in a time zone as the change log writes it. */
export function timestampIn(timeZone: string): () => string {
  return () => Utilities.formatDate(new Date(), timeZone, 'yyyy-MM-dd HH:mm:ss');
}

/** Today's date in a time zone ('yyyy-MM-dd'). */
export function todayIn(timeZone: string): string {
  return Utilities.formatDate(new Date(), timeZone, 'yyyy-MM-dd');
}

/** An instant as a short local time for messages ('MMM d HH:mm'). */
export function shortTimeIn(timeZone: string, at: number): string {
  return Utilities.formatDate(new Date(at), timeZone, 'MMM d HH:mm');
}

/** The Google account running this execution ('' when Apps Script does not tell). */
export function effectiveUserEmail(): string {
  try {
    return Session.getEffectiveUser().getEmail() || Session.getActiveUser().getEmail() || '';
  } catch {
    return '';
  }
}

/** Applies pending Sheets writes now. */
export function flushSheets(): void {
  SpreadsheetApp.flush();
}
