import { Emitter, Event } from '../common/emitter';
import { KeyValueStore, readStringList } from '../common/keyValueStore';
import { asStudioError, StudioError } from '../studio/errors';
import { LookUp, LookUpOutcome } from './lookUp';

export type UserState =
  | { readonly kind: 'pending' }
  | (LookUpOutcome & { readonly at: number })
  | { readonly kind: 'error'; readonly error: StudioError; readonly at: number };

export interface WatchedUser {
  readonly userId: string;
  readonly pinned: boolean;
  readonly state: UserState;
  readonly refreshing: boolean;
}

const USERS_KEY = 'csml.watchedUsers';

interface Slot {
  state: UserState;
  /** Bumped by reset(): an answer from an older generation is dropped, never shown. */
  generation: number;
  inFlight?: { promise: Promise<UserState>; controller: AbortController; generation: number };
}

/**
 * The users shown in the Conversations view (the pinned one first) and their latest answers.
 * One request per user at a time: a refresh asked for while one is running joins it.
 */
export class WatchList {
  private readonly added: string[];
  private pinnedId: string | undefined;
  private readonly slots = new Map<string, Slot>();
  private readonly changed = new Emitter<string | undefined>();
  private disposed = false;
  /** Fires with a user id when that user's state changed, or undefined when the list itself did. */
  readonly onDidChange: Event<string | undefined> = this.changed.event;

  constructor(
    private readonly lookUp: LookUp,
    private readonly storage: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {
    this.added = readStringList(storage, USERS_KEY).filter((id) => id !== '');
  }

  get pinned(): string | undefined {
    return this.pinnedId;
  }

  get users(): WatchedUser[] {
    const ids = this.pinnedId ? [this.pinnedId, ...this.added.filter((id) => id !== this.pinnedId)] : this.added;
    return ids.map((id) => this.describe(id));
  }

  get(userId: string): WatchedUser | undefined {
    return userId === this.pinnedId || this.added.includes(userId) ? this.describe(userId) : undefined;
  }

  /** Puts a user at the top of the list (under the pinned one) and looks them up. */
  async add(userId: string): Promise<UserState> {
    const index = this.added.indexOf(userId);
    if (index !== 0) {
      if (index > 0) this.added.splice(index, 1);
      this.added.unshift(userId);
      await this.persist();
      this.changed.fire(undefined);
    }
    return this.refresh(userId);
  }

  async remove(userId: string): Promise<void> {
    const index = this.added.indexOf(userId);
    if (index < 0) return;
    this.added.splice(index, 1);
    if (userId !== this.pinnedId) this.forget(userId);
    await this.persist();
    this.changed.fire(undefined);
  }

  /** The pinned user is shown first; refreshing it is the poller's job. */
  setPinned(userId: string | undefined): void {
    const id = userId || undefined;
    if (id === this.pinnedId) return;
    const previous = this.pinnedId;
    this.pinnedId = id;
    if (previous && !this.added.includes(previous)) this.forget(previous);
    this.changed.fire(undefined);
  }

  refresh(userId: string): Promise<UserState> {
    if (this.disposed) return Promise.resolve(this.slot(userId).state);
    const slot = this.slot(userId);
    if (slot.inFlight && slot.inFlight.generation === slot.generation) return slot.inFlight.promise;
    const controller = new AbortController();
    const generation = slot.generation;
    const promise = this.run(userId, slot, controller, generation);
    slot.inFlight = { promise, controller, generation };
    this.changed.fire(userId);
    return promise;
  }

  /**
   * A look-up that starts after this call: one already running may have been sent before what the caller just
   * did (a chat turn), so it is waited for, then another is made.
   */
  async refreshAfterNow(userId: string): Promise<UserState> {
    const running = this.disposed ? undefined : this.slots.get(userId)?.inFlight?.promise;
    if (running) await running.catch(() => undefined);
    return this.refresh(userId);
  }

  async refreshAll(): Promise<void> {
    await Promise.all(this.users.map((user) => this.refresh(user.userId)));
  }

  /**
   * Settings or credentials changed: answers to requests already sent belong to the old state, so
   * they are cancelled and ignored, and every user starts over.
   */
  reset(): void {
    for (const slot of this.slots.values()) {
      slot.generation++;
      slot.inFlight?.controller.abort();
      slot.inFlight = undefined;
      slot.state = { kind: 'pending' };
    }
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.disposed = true;
    for (const slot of this.slots.values()) slot.inFlight?.controller.abort();
    this.slots.clear();
    this.changed.dispose();
  }

  private async run(userId: string, slot: Slot, controller: AbortController, generation: number): Promise<UserState> {
    let state: UserState;
    try {
      const outcome = await this.lookUp(userId, controller.signal);
      state = { ...outcome, at: this.now() };
    } catch (error) {
      state = { kind: 'error', error: asStudioError(error), at: this.now() };
    }
    // A removal or dispose happened meanwhile: this answer describes a world that is gone.
    if (this.disposed || this.slots.get(userId) !== slot) return slot.state;
    // A reset happened meanwhile: the answer is dropped, and whoever waits gets the new world's.
    if (slot.generation !== generation) return this.refresh(userId);
    slot.inFlight = undefined;
    slot.state = state;
    this.changed.fire(userId);
    return state;
  }

  private describe(userId: string): WatchedUser {
    const slot = this.slots.get(userId);
    return {
      userId,
      pinned: userId === this.pinnedId,
      state: slot?.state ?? { kind: 'pending' },
      refreshing: slot?.inFlight !== undefined,
    };
  }

  private slot(userId: string): Slot {
    let slot = this.slots.get(userId);
    if (!slot) {
      slot = { state: { kind: 'pending' }, generation: 0 };
      this.slots.set(userId, slot);
    }
    return slot;
  }

  private forget(userId: string): void {
    this.slots.get(userId)?.inFlight?.controller.abort();
    this.slots.delete(userId);
  }

  private persist(): PromiseLike<void> {
    return this.storage.update(USERS_KEY, [...this.added]);
  }
}
