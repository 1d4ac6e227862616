import { EXCEEDED_TIME, HarnessExecutionError } from '../../tools/harness';
import { harnessFor } from './helpers';

const code = `
function manyCalls() {
  var cache = CacheService.getScriptCache();
  for (var i = 0; i < 1000000; i++) { cache.put('i', String(i)); }
  return 'finished';
}
function manyPropertyCalls() {
  var props = PropertiesService.getScriptProperties();
  for (var i = 0; i < 1000000; i++) { props.setProperty('i', String(i)); }
}
function sleepy() { for (var i = 0; i < 10; i++) { Utilities.sleep(60000); PropertiesService.getScriptProperties().setProperty('slept', String(i + 1)); } }
function tooLongSleep() { Utilities.sleep(300001); }
function swallowsKill() {
  try { while (true) Utilities.sleep(300000); } catch (e) { return 'caught ' + e.message; }
}
function spin() { var x = 0; while (true) { x++; } }
function resumable() {
  var props = PropertiesService.getScriptProperties();
  var i = Number(props.getProperty('cursor') || 0);
  for (; i < 10; i++) {
    SpreadsheetApp.getActiveSheet().getRange(i + 1, 1).setValue(i);
    props.setProperty('cursor', String(i + 1));
  }
  return 'done';
}
function onEdit() { Utilities.sleep(31000); }
`;

describe('execution time limit', () => {
  it('kills a long loop of service calls with "Exceeded maximum execution time"', () => {
    // The script's own CPU time does not count here (cpuFactor 0), so the figures are the cost model's alone,
    // whatever the machine's speed or load.
    const h = harnessFor(code, { costs: { cpuFactor: 0 } });
    let err: HarnessExecutionError | undefined;
    try {
      h.run('manyCalls');
    } catch (e) {
      err = e as HarnessExecutionError;
    }
    expect(err).toBeInstanceOf(HarnessExecutionError);
    expect(err!.message).toBe(EXCEEDED_TIME);
    const m = h.lastExecution;
    expect(m.killed).toBe('time-limit');
    expect(m.virtualMs).toBeLessThanOrEqual(360_000);
    expect(m.virtualMs).toBeGreaterThan(359_000);
    // 5 ms per CacheService call → about 72,000 calls fit in 6 minutes
    expect(m.calls['CacheService.Cache.put']).toBeGreaterThan(60_000);
    expect(m.calls['CacheService.Cache.put']).toBeLessThan(72_100);
    // the clock moved by the execution's duration
    expect(h.clock.now() - m.startedAt).toBe(Math.floor(m.virtualMs));
  });

  it('runs out of the daily PropertiesService quota before the time limit', () => {
    const h = harnessFor(code);
    expect(() => h.run('manyPropertyCalls')).toThrow('Service invoked too many times for one day: properties.');
    expect(h.lastExecution.calls['PropertiesService.Properties.setProperty']).toBe(50_001);
  });

  it('counts Utilities.sleep and ends at the limit', () => {
    const h = harnessFor(code);
    expect(() => h.run('sleepy')).toThrow(EXCEEDED_TIME);
    expect(h.properties.script.getProperty('slept')).toBe('5');
    expect(() => h.run('tooLongSleep')).toThrow('Invalid argument: milliseconds');
  });

  it('still fails an execution that catches the kill', () => {
    const h = harnessFor(code);
    expect(() => h.run('swallowsKill')).toThrow(EXCEEDED_TIME);
  });

  it('kills a CPU loop that makes no service call (watchdog)', () => {
    const h = harnessFor(code, { costs: { cpuFactor: 1000 } });
    expect(() => h.run('spin')).toThrow(EXCEEDED_TIME);
    expect(h.lastExecution.killed).toBe('time-limit');
    expect(h.lastExecution.virtualMs).toBe(360_000);
  });

  it('honours executionLimitMs and the 30 s limit of simple triggers', () => {
    const h = harnessFor(code, { executionLimitMs: 60_000 });
    expect(() => h.run('sleepy')).toThrow(EXCEEDED_TIME);
    expect(h.properties.script.getProperty('slept')).toBeNull(); // killed during the first sleep
    expect(() => h.runAs('simple-trigger', 'onEdit')).toThrow(EXCEEDED_TIME);
  });

  it('abortAfterCalls kills an execution mid-way so resumption can be tested', () => {
    const h = harnessFor(code);
    h.abortAfterCalls = 9; // getScriptProperties, getProperty, then (getActiveSheet, getRange, setValue, setProperty) ×…
    expect(() => h.run('resumable')).toThrow(EXCEEDED_TIME);
    expect(h.lastExecution.killed).toBe('abort-after-calls');
    expect(h.lastExecution.totalCalls).toBe(9);
    expect(h.properties.script.getProperty('cursor')).toBe('1');
    expect(h.run('resumable')).toBe('done');
    expect(
      h
        .sheet('Sheet1')
        .getRange('A1:A10')
        .getValues()
        .map((r) => r[0]),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
