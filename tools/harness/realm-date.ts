/**
 * The script realm's Date: reads the virtual clock, and does local-time arithmetic in the script's
 * time zone (the manifest's timeZone), as Apps Script's V8 runtime does, whatever the host's TZ.
 * Also defaults Intl.DateTimeFormat and Date#toLocale*String to that zone.
 */
import * as vm from 'node:vm';

export const DATE_SETUP = new vm.Script(
  String.raw`(function (nowFn, offsetFn, tzName) {
  'use strict';
  var RealDate = Date;
  var P = RealDate.prototype;
  var construct = Reflect.construct;
  var slice = Array.prototype.slice;
  var getTime = P.getTime, setTime = P.setTime;
  var hostGet = {
    y: P.getFullYear, mo: P.getMonth, d: P.getDate, h: P.getHours, mi: P.getMinutes, s: P.getSeconds, ms: P.getMilliseconds
  };
  var U = {
    y: P.getUTCFullYear, mo: P.getUTCMonth, d: P.getUTCDate, wd: P.getUTCDay, h: P.getUTCHours, mi: P.getUTCMinutes,
    s: P.getUTCSeconds, ms: P.getUTCMilliseconds,
    setY: P.setUTCFullYear, setMo: P.setUTCMonth, setD: P.setUTCDate, setH: P.setUTCHours, setMi: P.setUTCMinutes,
    setS: P.setUTCSeconds, setMs: P.setUTCMilliseconds
  };
  var origLocale = { s: P.toLocaleString, d: P.toLocaleDateString, t: P.toLocaleTimeString };
  var RealDTF = Intl.DateTimeFormat;
  var DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  function fromWall(w) {
    var o1 = offsetFn(w - offsetFn(w));
    var t = w - o1;
    var o2 = offsetFn(t);
    if (o2 !== o1) t = w - o2;
    return t;
  }
  function wall(date) {
    var t = getTime.call(date);
    return t !== t ? null : new RealDate(t + offsetFn(t));
  }
  function parseLocal(str) {
    var s = String(str).trim();
    var t = RealDate.parse(s);
    if (t !== t) return NaN;
    if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(s)) return t; // ISO date-only forms are UTC
    if (/(Z|[+-]\d{2}:?\d{2}|\b(GMT|UTC|UT)\b[+-]?\d*)\s*(\([^)]*\))?$/i.test(s)) return t; // explicit zone
    var h = new RealDate(t); // host-local reading: re-read the same wall clock in the script zone
    var w = RealDate.UTC(hostGet.y.call(h), hostGet.mo.call(h), hostGet.d.call(h), hostGet.h.call(h), hostGet.mi.call(h), hostGet.s.call(h), hostGet.ms.call(h));
    var year = hostGet.y.call(h);
    if (year >= 0 && year < 100) { var x = new RealDate(w); U.setY.call(x, year); w = getTime.call(x); }
    return fromWall(w);
  }

  function Date$(a, b, c, d, e, f, g) {
    var n = arguments.length;
    if (!new.target) return Date$.prototype.toString.call(new RealDate(nowFn()));
    var t;
    if (n === 0) t = nowFn();
    else if (n === 1) {
      var v = a;
      if (v !== null && typeof v === 'object' && !(v instanceof RealDate)) v = typeof v.valueOf === 'function' ? v.valueOf() : v;
      if (v instanceof RealDate) t = getTime.call(v);
      else if (typeof v === 'string') t = parseLocal(v);
      else return construct(RealDate, [v], new.target);
    } else {
      var y = Number(a);
      var w = RealDate.UTC(y, Number(b), n > 2 ? Number(c) : 1, n > 3 ? Number(d) : 0, n > 4 ? Number(e) : 0, n > 5 ? Number(f) : 0, n > 6 ? Number(g) : 0);
      t = w !== w ? NaN : fromWall(w);
    }
    return construct(RealDate, [t], new.target);
  }
  Object.defineProperty(Date$, 'name', { value: 'Date' });
  Object.defineProperty(Date$, 'length', { value: 7 });
  Date$.prototype = P;
  Date$.now = function now() { return nowFn(); };
  Date$.parse = function parse(s) { return parseLocal(s); };
  Date$.UTC = RealDate.UTC;

  function def(name, fn) {
    Object.defineProperty(P, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
  function getter(key) {
    return function () { var w = wall(this); return w === null ? NaN : U[key].call(w); };
  }
  def('getFullYear', getter('y'));
  def('getMonth', getter('mo'));
  def('getDate', getter('d'));
  def('getDay', getter('wd'));
  def('getHours', getter('h'));
  def('getMinutes', getter('mi'));
  def('getSeconds', getter('s'));
  def('getMilliseconds', getter('ms'));
  def('getYear', function () { var y = this.getFullYear(); return y !== y ? NaN : y - 1900; });
  def('getTimezoneOffset', function () {
    var t = getTime.call(this);
    return t !== t ? NaN : -offsetFn(t) / 60000 || 0;
  });
  function setter(key) {
    return function () {
      var w = wall(this);
      if (w === null) return NaN;
      U[key].apply(w, arguments);
      var t = getTime.call(w);
      return setTime.call(this, t !== t ? NaN : fromWall(t));
    };
  }
  def('setFullYear', function () {
    var t0 = getTime.call(this);
    var w = t0 !== t0 ? new RealDate(0) : new RealDate(t0 + offsetFn(t0));
    U.setY.apply(w, arguments);
    var t = getTime.call(w);
    return setTime.call(this, t !== t ? NaN : fromWall(t));
  });
  def('setMonth', setter('setMo'));
  def('setDate', setter('setD'));
  def('setHours', setter('setH'));
  def('setMinutes', setter('setMi'));
  def('setSeconds', setter('setS'));
  def('setMilliseconds', setter('setMs'));

  var zoneNames = {};
  function zoneName(t) {
    var key = String(offsetFn(t));
    if (!(key in zoneNames)) {
      var parts = new RealDTF('en-US', { timeZone: tzName, timeZoneName: 'long' }).formatToParts(new RealDate(t));
      var p = parts.filter(function (x) { return x.type === 'timeZoneName'; })[0];
      zoneNames[key] = p ? p.value : tzName;
    }
    return zoneNames[key];
  }
  function pad(v, n) { v = String(v); while (v.length < n) v = '0' + v; return v; }
  function gmt(t) {
    var o = offsetFn(t) / 60000, sign = o < 0 ? '-' : '+';
    o = Math.abs(o);
    return 'GMT' + sign + pad(Math.floor(o / 60), 2) + pad(o % 60, 2);
  }
  function datePart(w) {
    return DAYS[U.wd.call(w)] + ' ' + MONTHS[U.mo.call(w)] + ' ' + pad(U.d.call(w), 2) + ' ' + (U.y.call(w) < 0 ? '-' + pad(-U.y.call(w), 6) : pad(U.y.call(w), 4));
  }
  function timePart(w, t) {
    return pad(U.h.call(w), 2) + ':' + pad(U.mi.call(w), 2) + ':' + pad(U.s.call(w), 2) + ' ' + gmt(t) + ' (' + zoneName(t) + ')';
  }
  def('toString', function () {
    var t = getTime.call(this), w = wall(this);
    return w === null ? 'Invalid Date' : datePart(w) + ' ' + timePart(w, t);
  });
  def('toDateString', function () { var w = wall(this); return w === null ? 'Invalid Date' : datePart(w); });
  def('toTimeString', function () { var t = getTime.call(this), w = wall(this); return w === null ? 'Invalid Date' : timePart(w, t); });
  function withZone(options) {
    var o = {};
    if (options !== undefined && options !== null) for (var k in Object(options)) o[k] = options[k];
    if (o.timeZone === undefined) o.timeZone = tzName;
    return o;
  }
  def('toLocaleString', function (locales, options) { return origLocale.s.call(this, locales, withZone(options)); });
  def('toLocaleDateString', function (locales, options) { return origLocale.d.call(this, locales, withZone(options)); });
  def('toLocaleTimeString', function (locales, options) { return origLocale.t.call(this, locales, withZone(options)); });
  def('constructor', Date$);

  function DateTimeFormat(locales, options) {
    return construct(RealDTF, [locales, withZone(options)], new.target || RealDTF);
  }
  DateTimeFormat.prototype = RealDTF.prototype;
  DateTimeFormat.supportedLocalesOf = RealDTF.supportedLocalesOf;
  Object.defineProperty(RealDTF.prototype, 'constructor', { value: DateTimeFormat, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(Intl, 'DateTimeFormat', { value: DateTimeFormat, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(globalThis, 'Date', { value: Date$, writable: true, configurable: true, enumerable: false });
  return { RealDate: RealDate, Array: Array, Object: Object, Error: Error, global: globalThis };
})`,
  { filename: 'apps-script-runtime.js' },
);
