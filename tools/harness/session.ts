/** Session and Base.User. */
import { createHash } from 'node:crypto';
import { ApiObject, type ClassMeta } from './api-base';
import type { Env } from './env';

export class UserApi extends ApiObject {
  static override meta: ClassMeta = { service: 'Base', name: 'User', costAs: 'Session' };
  constructor(
    env: Env,
    private readonly email: string,
  ) {
    super(env);
  }
  getEmail(): string {
    return this.email;
  }
  getUsername(): string {
    return this.email.split('@')[0] ?? '';
  }
  getUserLoginId(): string {
    return this.email;
  }
  override toString(): string {
    return this.email;
  }
}

export class SessionApi extends ApiObject {
  static override meta: ClassMeta = { service: 'Session', name: '' };

  /**
   * The user at the keyboard. "The user's email address is not available in any context that allows
   * a script to run without that user's authorization" (Base.User.getEmail reference): in a simple
   * trigger the harness hides it unless that user owns the script, and in an installable trigger
   * (which runs on its creator's authorization, with nobody's session) it is always empty — the
   * unkind reading of "may be empty"; `getEffectiveUser()` is the trigger's creator.
   * Needs the userinfo.email scope (checked by the runtime).
   */
  getActiveUser(): UserApi {
    const u = this.env.user();
    const hidden =
      this.env.state.divergent ||
      (this.env.authMode === 'LIMITED' && u !== this.env.state.owner) ||
      this.env.kind === 'installable-trigger';
    return new UserApi(this.env, hidden ? '' : u);
  }
  /** The user whose authority the script runs with (trigger owner for installable triggers). */
  getEffectiveUser(): UserApi {
    return new UserApi(this.env, this.env.user());
  }
  getUser(): UserApi {
    return this.getActiveUser();
  }
  getScriptTimeZone(): string {
    return this.env.state.scriptTimeZone;
  }
  getTimeZone(): string {
    return this.env.state.scriptTimeZone;
  }
  getActiveUserLocale(): string {
    return 'en';
  }
  /** Stable per user and script, opaque. */
  getTemporaryActiveUserKey(): string {
    return createHash('sha256')
      .update(`${this.env.state.scriptId}:${this.env.user()}`)
      .digest('base64')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 43);
  }
}
