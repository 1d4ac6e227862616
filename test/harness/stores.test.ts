import { harnessFor } from './helpers';

const code = `
function setProp(store, k, v) { PropertiesService[store]().setProperty(k, v); }
function setMany(obj, deleteOthers) { PropertiesService.getScriptProperties().setProperties(obj, deleteOthers); }
function getAll() { var p = PropertiesService.getScriptProperties(); return [p.getProperties(), p.getKeys().sort()]; }
function whoAmI() { return [Session.getActiveUser().getEmail(), PropertiesService.getUserProperties().getProperty('pref')]; }
function putCache(k, v, ttl) { CacheService.getScriptCache().put(k, v, ttl); }
function getCache(k) { return CacheService.getScriptCache().get(k); }
function getAllCache(keys) { return CacheService.getScriptCache().getAll(keys); }
function putMany(n) { var c = CacheService.getScriptCache(); for (var i = 0; i < n; i++) c.put('k' + i, 'v' + i, 60 + i); }
function lockFor(ms) {
  var lock = LockService.getScriptLock();
  var got = lock.tryLock(ms);
  return [got, lock.hasLock(), Date.now()];
}
function waitFor(ms) { LockService.getScriptLock().waitLock(ms); return 'got it'; }
`;

const KB = 1024;

describe('PropertiesService', () => {
  it('keeps stores apart (script, document, per user) and strings only', () => {
    const h = harnessFor(code);
    h.run('setProp', 'getScriptProperties', 'a', 1);
    h.run('setProp', 'getDocumentProperties', 'a', 'doc');
    h.run('setProp', 'getUserProperties', 'pref', 'mine');
    expect(h.properties.script.getProperty('a')).toBe('1');
    expect(h.properties.document.getProperty('a')).toBe('doc');
    expect(h.properties.user().getProperty('pref')).toBe('mine');
    expect(h.properties.user('other@example.com').getProperty('pref')).toBeNull();
    h.user = 'other@example.com';
    expect(h.run('whoAmI')).toEqual(['other@example.com', null]);
  });

  it('setProperties with deleteAllOthers, getProperties and getKeys', () => {
    const h = harnessFor(code);
    h.run('setMany', { a: 'x', b: 2 });
    h.run('setMany', { c: true }, true);
    expect(h.run('getAll')).toEqual([{ c: 'true' }, ['c']]);
  });

  it('refuses values over 9 KB and stores over 500 KB with Apps Script errors', () => {
    const h = harnessFor(code);
    expect(() => h.run('setProp', 'getScriptProperties', 'big', 'x'.repeat(9 * KB + 1))).toThrow(
      'Argument too large: value',
    );
    h.run('setProp', 'getScriptProperties', 'ok', 'x'.repeat(9 * KB - 10));
    for (let i = 0; i < 54; i++) h.properties.script.setProperty(`fill${i}`, 'y'.repeat(9 * KB));
    expect(() => h.run('setProp', 'getScriptProperties', 'last', 'z'.repeat(9 * KB))).toThrow(
      'You have exceeded the property storage quota. Please remove some properties and try again.',
    );
    expect(h.properties.script.getProperty('last')).toBeNull();
  });
});

describe('CacheService', () => {
  it('expires entries on the virtual clock (default 600 s, at most 6 h)', () => {
    const h = harnessFor(code);
    h.run('putCache', 'a', 'default');
    h.run('putCache', 'b', 'long', 999_999);
    h.advance(599_000);
    expect(h.run('getCache', 'a')).toBe('default');
    h.advance(2_000);
    expect(h.run('getCache', 'a')).toBeNull();
    expect(h.run('getAllCache', ['a', 'b'])).toEqual({ b: 'long' });
    h.advance(21_600_000);
    expect(h.run('getCache', 'b')).toBeNull();
  });

  it('limits keys to 250 characters and values to 100 KB', () => {
    const h = harnessFor(code);
    expect(() => h.run('putCache', 'k'.repeat(251), 'v')).toThrow('Argument too large: key');
    expect(() => h.run('putCache', 'k', 'v'.repeat(100 * KB + 1))).toThrow('Argument too large: value');
    h.run('putCache', 'k'.repeat(250), 'v'.repeat(100 * KB));
  });

  it('keeps at most 1,000 items, dropping those closest to expiry', () => {
    const h = harnessFor(code);
    h.run('putMany', 1001);
    expect(h.cache.script.size()).toBe(900);
    expect(h.run('getCache', 'k0')).toBeNull();
    expect(h.run('getCache', 'k1000')).toBe('v1000');
  });
});

describe('LockService', () => {
  it('waits on the virtual clock for a lock held by another execution', () => {
    const h = harnessFor(code);
    const t0 = h.clock.now();
    h.holdLock('script', t0 + 10_000);
    const [got, has, now] = h.run('lockFor', 30_000) as [boolean, boolean, number];
    expect(got).toBe(true);
    expect(has).toBe(true);
    expect(now).toBeGreaterThanOrEqual(t0 + 10_000);
  });

  it('times out (tryLock → false, waitLock → Lock timeout) and releases at the end of an execution', () => {
    const h = harnessFor(code);
    h.holdLock('script', h.clock.now() + 600_000);
    const [got, has] = h.run('lockFor', 5_000) as [boolean, boolean];
    expect(got).toBe(false);
    expect(has).toBe(false);
    expect(h.lastExecution.virtualMs).toBeGreaterThanOrEqual(5_000);
    expect(() => h.run('waitFor', 1_000)).toThrow('Lock timeout: another process was holding the lock for too long.');
    h.holdLock('script', 0);
    expect(h.run('lockFor', 0)).toEqual([true, true, expect.any(Number)]);
    expect(h.state.scriptLock.holder).toBeNull(); // released when that execution ended
    expect(h.run('waitFor', 0)).toBe('got it');
  });
});
