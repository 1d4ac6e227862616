/**
 * What every section of the panel gets: the bridge to the server, the latest settings snapshot (getSettingsState)
 * with change notifications, and a live region for short announcements. Sections stay independent of each other:
 * one that changes something calls `refresh()`, and every section redraws from the new snapshot.
 */
import type { Bridge } from './bridge';
import type { SettingsState } from '../shared/settings';

export interface Panel {
  readonly bridge: Bridge;
  /** The latest snapshot, null until the first one arrives. */
  readonly state: SettingsState | null;
  /** Calls `fn` with every new snapshot (and at once when one is already there). */
  onState(fn: (state: SettingsState) => void): void;
  /** Fetches a new snapshot and hands it to every listener. Concurrent calls share one request. */
  refresh(): Promise<SettingsState>;
  /** Says something to screen readers (polite). */
  announce(text: string): void;
}

/** A section of the panel: a heading and whatever `mount` puts in its container. */
export interface Section {
  /** Used for the section's element id (`section-<id>`). */
  id: string;
  title: string;
  mount(container: HTMLElement, panel: Panel): void;
}

export function createPanel(bridge: Bridge, announcer: HTMLElement): Panel {
  let state: SettingsState | null = null;
  let inFlight: Promise<SettingsState> | null = null;
  const listeners: ((s: SettingsState) => void)[] = [];
  const panel: Panel = {
    bridge,
    get state() {
      return state;
    },
    onState(fn) {
      listeners.push(fn);
      if (state) fn(state);
    },
    refresh() {
      if (inFlight) return inFlight;
      inFlight = bridge
        .getSettingsState()
        .then((s) => {
          state = s;
          for (const fn of listeners) {
            try {
              fn(s);
            } catch (e) {
              console.error(e);
            }
          }
          return s;
        })
        .finally(() => {
          inFlight = null;
        });
      return inFlight;
    },
    announce(text) {
      announcer.textContent = '';
      // A fresh text node so that repeating the same message is announced again.
      window.setTimeout(() => {
        announcer.textContent = text;
      }, 50);
    },
  };
  return panel;
}
