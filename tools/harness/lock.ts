/**
 * LockService. Executions run one at a time in the harness, so contention comes from
 * `harness.holdLock(scope, untilVirtualMs)`, which simulates another execution holding the lock until
 * then. Waiting advances the virtual clock. Locks are released when their execution ends.
 */
import { ApiObject, type ClassMeta } from './api-base';
import type { Env } from './env';
import { ScriptError } from './errors';

export const LOCK_TIMEOUT_MESSAGE = 'Lock timeout: another process was holding the lock for too long.';

export class LockState {
  /** Execution holding the lock (harness execution id), or null. */
  holder: number | null = null;
  /** Another (simulated) execution holds the lock until this virtual time. */
  externalUntil = -Infinity;
  constructor(readonly label: string) {}
}

export class LockServiceApi extends ApiObject {
  static override meta: ClassMeta = { service: 'LockService', name: '' };
  getScriptLock(): LockApi {
    return new LockApi(this.env, this.env.state.scriptLock);
  }
  getDocumentLock(): LockApi {
    return new LockApi(this.env, this.env.state.documentLock);
  }
  getUserLock(): LockApi {
    return new LockApi(this.env, this.env.state.userLock(this.env.user()));
  }
}

export class LockApi extends ApiObject {
  static override meta: ClassMeta = { service: 'LockService', name: 'Lock' };
  private _has = false;
  constructor(
    env: Env,
    readonly _state: LockState,
  ) {
    super(env);
  }
  tryLock(timeoutInMillis: number): boolean {
    const s = this._state;
    const me = this.env.executionId;
    if (typeof timeoutInMillis !== 'number' || !Number.isFinite(timeoutInMillis) || timeoutInMillis < 0) {
      throw new ScriptError('Invalid argument: timeoutInMillis');
    }
    if (s.holder === me) {
      this._has = true;
      return true;
    }
    const now = this.env.now();
    if (s.holder === null && now >= s.externalUntil) {
      s.holder = me;
      this._has = true;
      return true;
    }
    if (s.holder === null && s.externalUntil - now <= timeoutInMillis) {
      this.env.charge(s.externalUntil - now);
      s.holder = me;
      this._has = true;
      return true;
    }
    this.env.charge(timeoutInMillis);
    return false;
  }
  waitLock(timeoutInMillis: number): void {
    if (!this.tryLock(timeoutInMillis)) throw new ScriptError(LOCK_TIMEOUT_MESSAGE);
  }
  releaseLock(): void {
    if (this._state.holder === this.env.executionId) this._state.holder = null;
    this._has = false;
  }
  hasLock(): boolean {
    return this._has && this._state.holder === this.env.executionId;
  }
}
