/** ScriptApp: installable triggers (time-driven and spreadsheet), enums, script id. */
import { createHash } from 'node:crypto';
import { types } from 'node:util';
import { ApiObject, type ClassMeta, enumName } from './api-base';
import type { Env } from './env';
import { ScriptError } from './errors';
import { SpreadsheetApi } from './spreadsheet/api';
import { fromWall, isValidTimeZone, wallFields } from './tz';

export const MAX_TRIGGERS_PER_USER = 20;
export const TOO_MANY_TRIGGERS =
  'This script has too many triggers. Triggers must be deleted from the script before more can be added.';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

export type ClockSchedule =
  | { kind: 'once'; at: number }
  | { kind: 'interval'; periodMs: number }
  | { kind: 'daily'; everyDays: number; hour: number | null; minute: number; tz: string }
  | { kind: 'weekly'; everyWeeks: number; weekday: number; hour: number; minute: number; tz: string }
  | { kind: 'monthly'; monthDay: number; hour: number; minute: number; tz: string };

export interface TriggerModel {
  uid: string;
  handler: string;
  owner: string;
  eventType: 'CLOCK' | 'ON_OPEN' | 'ON_EDIT' | 'ON_CHANGE' | 'ON_FORM_SUBMIT';
  source: 'CLOCK' | 'SPREADSHEETS';
  sourceId: string | null;
  createdAt: number;
  schedule?: ClockSchedule;
  /** Next virtual time a clock trigger fires; null once a one-shot trigger has fired. */
  nextAt?: number | null;
  fired: number;
}

/** First firing time at or after `from` for a schedule (after creation, or after the last firing). */
export function nextFiring(s: ClockSchedule, from: number, created: number): number | null {
  switch (s.kind) {
    case 'once':
      return s.at;
    case 'interval':
      return from + s.periodMs;
    case 'daily': {
      if (s.hour === null) return from + s.everyDays * DAY;
      const w = wallFields(s.tz, from);
      let t = fromWall(s.tz, Date.UTC(w.year, w.month - 1, w.day, s.hour, s.minute));
      if (from === created) {
        if (t <= from) t = fromWall(s.tz, Date.UTC(w.year, w.month - 1, w.day + 1, s.hour, s.minute));
      } else {
        t = fromWall(s.tz, Date.UTC(w.year, w.month - 1, w.day + s.everyDays, s.hour, s.minute));
      }
      return t;
    }
    case 'weekly': {
      const w = wallFields(s.tz, from);
      let delta = (s.weekday - w.weekday + 7) % 7;
      if (from !== created) delta = delta === 0 ? 7 * s.everyWeeks : delta;
      let t = fromWall(s.tz, Date.UTC(w.year, w.month - 1, w.day + delta, s.hour, s.minute));
      if (t <= from)
        t = fromWall(s.tz, Date.UTC(w.year, w.month - 1, w.day + delta + 7 * s.everyWeeks, s.hour, s.minute));
      return t;
    }
    case 'monthly': {
      const w = wallFields(s.tz, from);
      let t = fromWall(s.tz, Date.UTC(w.year, w.month - 1, s.monthDay, s.hour, s.minute));
      if (t <= from) t = fromWall(s.tz, Date.UTC(w.year, w.month, s.monthDay, s.hour, s.minute));
      return t;
    }
  }
}

export class ScriptAppApi extends ApiObject {
  static override meta: ClassMeta = {
    service: 'ScriptApp',
    name: '',
    enums: {
      AuthMode: 'AuthMode',
      AuthorizationStatus: 'AuthorizationStatus',
      EventType: 'EventType',
      TriggerSource: 'TriggerSource',
      WeekDay: 'WeekDay',
      InstallationSource: 'InstallationSource',
    },
  };
  newTrigger(functionName: string): TriggerBuilderApi {
    if (typeof functionName !== 'string' || functionName === '')
      throw new ScriptError('Invalid argument: functionName');
    return new TriggerBuilderApi(this.env, functionName);
  }
  getProjectTriggers(): TriggerApi[] {
    const u = this.env.user();
    return this.env.state.triggers.filter((t) => t.owner === u).map((t) => new TriggerApi(this.env, t));
  }
  getScriptTriggers(): TriggerApi[] {
    return this.getProjectTriggers();
  }
  getUserTriggers(document: SpreadsheetApi): TriggerApi[] {
    const u = this.env.user();
    const id =
      document instanceof SpreadsheetApi
        ? document.getId()
        : String((document as { getId?: () => string })?.getId?.() ?? '');
    return this.env.state.triggers
      .filter((t) => t.owner === u && t.sourceId === id)
      .map((t) => new TriggerApi(this.env, t));
  }
  deleteTrigger(trigger: TriggerApi): void {
    if (!(trigger instanceof TriggerApi)) throw new ScriptError('Invalid argument: trigger');
    this.env.charge(this.env.state.costs.triggerChangeMs);
    const st = this.env.state;
    st.triggers = st.triggers.filter((t) => t.uid !== trigger._t.uid);
  }
  getScriptId(): string {
    return this.env.state.scriptId;
  }
  getOAuthToken(): string {
    return 'ya29.harness-' + createHash('sha256').update(this.env.user()).digest('hex').slice(0, 32);
  }
  getIdentityToken(): string {
    return '';
  }
  invalidateAuth(): void {}
  getAuthorizationInfo(): AuthorizationInfoApi {
    return new AuthorizationInfoApi(this.env);
  }
  getInstallationSource(): unknown {
    return this.env.enumValue('InstallationSource', 'NONE');
  }
}

export class AuthorizationInfoApi extends ApiObject {
  static override meta: ClassMeta = { service: 'ScriptApp', name: 'AuthorizationInfo' };
  getAuthorizationStatus(): unknown {
    return this.env.enumValue('AuthorizationStatus', 'NOT_REQUIRED');
  }
  getAuthorizationUrl(): string | null {
    return null;
  }
  getAuthorizedScopes(): string[] {
    return this.env.array(this.env.state.manifest.oauthScopes ?? []);
  }
}

function createTrigger(env: Env, t: Omit<TriggerModel, 'uid' | 'owner' | 'createdAt' | 'fired'>): TriggerApi {
  const st = env.state;
  const owner = env.user();
  if (!st.divergent && st.triggers.filter((x) => x.owner === owner).length >= MAX_TRIGGERS_PER_USER)
    throw new ScriptError(TOO_MANY_TRIGGERS);
  env.charge(st.costs.triggerChangeMs);
  const now = env.now();
  const model: TriggerModel = { ...t, uid: st.nextTriggerUid(), owner, createdAt: now, fired: 0 };
  if (model.schedule) model.nextAt = nextFiring(model.schedule, now, now);
  st.triggers.push(model);
  return new TriggerApi(env, model);
}

export class TriggerBuilderApi extends ApiObject {
  static override meta: ClassMeta = { service: 'ScriptApp', name: 'TriggerBuilder' };
  constructor(
    env: Env,
    readonly _handler: string,
  ) {
    super(env);
  }
  timeBased(): ClockTriggerBuilderApi {
    return new ClockTriggerBuilderApi(this.env, this._handler);
  }
  forSpreadsheet(sheet: unknown): SpreadsheetTriggerBuilderApi {
    const id = sheet instanceof SpreadsheetApi ? sheet.getId() : String(sheet);
    if (id !== this.env.state.spreadsheet.id) throw new ScriptError('Invalid argument: key');
    return new SpreadsheetTriggerBuilderApi(this.env, this._handler, id);
  }
  forUserCalendar(): never {
    throw new ScriptError('Calendar triggers are not modelled by the harness.');
  }
  forDocument(): never {
    throw new ScriptError('Document triggers are not modelled by the harness.');
  }
  forForm(): never {
    throw new ScriptError('Form triggers are not modelled by the harness.');
  }
}

export class SpreadsheetTriggerBuilderApi extends ApiObject {
  static override meta: ClassMeta = { service: 'ScriptApp', name: 'SpreadsheetTriggerBuilder' };
  private _event: TriggerModel['eventType'] | null = null;
  constructor(
    env: Env,
    readonly _handler: string,
    readonly _id: string,
  ) {
    super(env);
  }
  onEdit(): SpreadsheetTriggerBuilderApi {
    this._event = 'ON_EDIT';
    return this;
  }
  onOpen(): SpreadsheetTriggerBuilderApi {
    this._event = 'ON_OPEN';
    return this;
  }
  onChange(): SpreadsheetTriggerBuilderApi {
    this._event = 'ON_CHANGE';
    return this;
  }
  onFormSubmit(): SpreadsheetTriggerBuilderApi {
    this._event = 'ON_FORM_SUBMIT';
    return this;
  }
  create(): TriggerApi {
    if (!this._event)
      throw new ScriptError(
        'Missing event type: call onEdit(), onOpen(), onChange() or onFormSubmit() before create().',
      );
    return createTrigger(this.env, {
      handler: this._handler,
      eventType: this._event,
      source: 'SPREADSHEETS',
      sourceId: this._id,
    });
  }
}

export class ClockTriggerBuilderApi extends ApiObject {
  static override meta: ClassMeta = { service: 'ScriptApp', name: 'ClockTriggerBuilder' };
  private _kind: 'after' | 'at' | 'atDate' | 'minutes' | 'hours' | 'days' | 'weeks' | 'monthDay' | null = null;
  private _n = 0;
  private _at = 0;
  private _date: [number, number, number] | null = null;
  private _hour: number | null = null;
  private _minute: number | null = null;
  private _weekday: number | null = null;
  private _tz: string | null = null;
  constructor(
    env: Env,
    readonly _handler: string,
  ) {
    super(env);
  }
  after(durationMilliseconds: number): ClockTriggerBuilderApi {
    if (typeof durationMilliseconds !== 'number' || durationMilliseconds < 0)
      throw new ScriptError('Invalid argument: durationMilliseconds');
    this._kind = 'after';
    this._n = durationMilliseconds;
    return this;
  }
  at(date: Date): ClockTriggerBuilderApi {
    if (!types.isDate(date)) throw new ScriptError('Invalid argument: date');
    this._kind = 'at';
    this._at = date.getTime();
    return this;
  }
  atDate(year: number, month: number, day: number): ClockTriggerBuilderApi {
    this._kind = 'atDate';
    this._date = [year, month, day];
    return this;
  }
  everyMinutes(n: number): ClockTriggerBuilderApi {
    if (![1, 5, 10, 15, 30].includes(n))
      throw new ScriptError('Invalid argument: minutes. The minutes must be 1, 5, 10, 15 or 30.');
    this._kind = 'minutes';
    this._n = n;
    return this;
  }
  everyHours(n: number): ClockTriggerBuilderApi {
    if (!Number.isInteger(n) || n < 1) throw new ScriptError('Invalid argument: hours');
    this._kind = 'hours';
    this._n = n;
    return this;
  }
  everyDays(n: number): ClockTriggerBuilderApi {
    if (!Number.isInteger(n) || n < 1) throw new ScriptError('Invalid argument: days');
    this._kind = 'days';
    this._n = n;
    return this;
  }
  everyWeeks(n: number): ClockTriggerBuilderApi {
    if (!Number.isInteger(n) || n < 1) throw new ScriptError('Invalid argument: weeks');
    this._kind = 'weeks';
    this._n = n;
    return this;
  }
  onWeekDay(day: unknown): ClockTriggerBuilderApi {
    const i = WEEKDAYS.indexOf(enumName(day));
    if (i < 0) throw new ScriptError('Invalid argument: day');
    if (this._kind !== 'weeks') {
      this._kind = 'weeks';
      this._n = this._n || 1;
    }
    this._weekday = i;
    return this;
  }
  onMonthDay(day: number): ClockTriggerBuilderApi {
    if (!Number.isInteger(day) || day < 1 || day > 31) throw new ScriptError('Invalid argument: day');
    this._kind = 'monthDay';
    this._n = day;
    return this;
  }
  atHour(hour: number): ClockTriggerBuilderApi {
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new ScriptError('Invalid argument: hour');
    this._hour = hour;
    return this;
  }
  nearMinute(minute: number): ClockTriggerBuilderApi {
    if (!Number.isInteger(minute) || minute < 0 || minute > 59) throw new ScriptError('Invalid argument: minute');
    this._minute = minute;
    return this;
  }
  inTimezone(timezone: string): ClockTriggerBuilderApi {
    if (!isValidTimeZone(String(timezone))) throw new ScriptError('Invalid argument: timezone');
    this._tz = String(timezone);
    return this;
  }
  create(): TriggerApi {
    const tz = this._tz ?? this.env.state.scriptTimeZone;
    const now = this.env.now();
    let schedule: ClockSchedule;
    if (this._hour !== null && !['days', 'weeks', 'monthDay'].includes(this._kind ?? '')) {
      throw new ScriptError('atHour() can only be used with everyDays(), everyWeeks() or onMonthDay().');
    }
    switch (this._kind) {
      case 'after':
        schedule = { kind: 'once', at: now + this._n };
        break;
      case 'at':
        schedule = { kind: 'once', at: this._at };
        break;
      case 'atDate': {
        const [y, m, d] = this._date!;
        schedule = { kind: 'once', at: fromWall(tz, Date.UTC(y, m - 1, d)) };
        break;
      }
      case 'minutes':
        schedule = { kind: 'interval', periodMs: this._n * MINUTE };
        break;
      case 'hours':
        schedule = { kind: 'interval', periodMs: this._n * HOUR };
        break;
      case 'days':
        schedule = { kind: 'daily', everyDays: this._n, hour: this._hour, minute: this._minute ?? 0, tz };
        break;
      case 'weeks':
        if (this._weekday === null) throw new ScriptError('onWeekDay() is required with everyWeeks().');
        schedule = {
          kind: 'weekly',
          everyWeeks: this._n || 1,
          weekday: this._weekday,
          hour: this._hour ?? 0,
          minute: this._minute ?? 0,
          tz,
        };
        break;
      case 'monthDay':
        schedule = { kind: 'monthly', monthDay: this._n, hour: this._hour ?? 0, minute: this._minute ?? 0, tz };
        break;
      default:
        throw new ScriptError(
          'The trigger has no schedule: call after(), at(), everyMinutes(), everyHours(), everyDays() or everyWeeks() before create().',
        );
    }
    return createTrigger(this.env, {
      handler: this._handler,
      eventType: 'CLOCK',
      source: 'CLOCK',
      sourceId: null,
      schedule,
    });
  }
}

export class TriggerApi extends ApiObject {
  static override meta: ClassMeta = { service: 'ScriptApp', name: 'Trigger' };
  constructor(
    env: Env,
    readonly _t: TriggerModel,
  ) {
    super(env);
  }
  getHandlerFunction(): string {
    return this._t.handler;
  }
  getUniqueId(): string {
    return this._t.uid;
  }
  getEventType(): unknown {
    return this.env.enumValue('EventType', this._t.eventType);
  }
  getTriggerSource(): unknown {
    return this.env.enumValue('TriggerSource', this._t.source);
  }
  getTriggerSourceId(): string | null {
    return this._t.sourceId;
  }
}
