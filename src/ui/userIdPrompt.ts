import { Memento, QuickPickItem, ThemeIcon, window } from 'vscode';
import { readStringList } from '../common/keyValueStore';
import { rememberRecent, userIdProblem } from '../conversations/userId';

const RECENT_KEY = 'csml.recentUserIds';

/**
 * Asks for a user id, offering recent ones. What the user typed is returned exactly as typed, or
 * undefined when they cancelled; an id with a problem cannot be accepted and says why.
 */
export class UserIdPrompt {
  constructor(private readonly state: Memento) {}

  get recent(): string[] {
    return readStringList(this.state, RECENT_KEY).filter((id) => !userIdProblem(id));
  }

  async remember(userId: string): Promise<void> {
    await this.state.update(RECENT_KEY, rememberRecent(this.recent, userId));
  }

  ask(title: string, placeholder: string): Promise<string | undefined> {
    const recent = this.recent;
    return recent.length === 0 ? this.askTyped(title, placeholder) : this.askWithRecent(title, placeholder, recent);
  }

  private async askTyped(title: string, placeholder: string): Promise<string | undefined> {
    return window
      .showInputBox({
        title,
        placeHolder: placeholder,
        prompt: 'The user_id your channel sends to the bot, exactly as it is sent.',
        ignoreFocusOut: true,
        validateInput: (value) => (value === '' ? undefined : userIdProblem(value)),
      })
      .then((value) => (value === undefined || userIdProblem(value) ? undefined : value));
  }

  private askWithRecent(title: string, placeholder: string, recent: string[]): Promise<string | undefined> {
    type Item = QuickPickItem & { userId?: string };
    const recentItems: Item[] = recent.map((id) => ({
      label: id,
      userId: id,
      description: 'recent',
      iconPath: new ThemeIcon('history'),
    }));
    const pick = window.createQuickPick<Item>();
    pick.title = title;
    pick.placeholder = `${placeholder} (or pick a recent one)`;
    pick.ignoreFocusOut = true;
    pick.matchOnDescription = false;
    pick.items = recentItems;
    const typedItem = (value: string): Item => {
      const problem = userIdProblem(value);
      // alwaysShow keeps the typed entry visible even when no recent id matches the filter.
      return problem
        ? { label: `$(error) ${problem}`, alwaysShow: true }
        : { label: value, userId: value, description: 'look up this id', iconPath: new ThemeIcon('search'), alwaysShow: true };
    };
    return new Promise((resolve) => {
      let settled = false;
      const finish = (value: string | undefined) => {
        if (settled) return;
        settled = true;
        resolve(value);
        pick.dispose();
      };
      pick.onDidChangeValue((value) => {
        const exact = recent.includes(value);
        pick.items = value === '' || exact ? recentItems : [typedItem(value), ...recentItems];
      });
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        const id = chosen?.userId ?? (pick.value !== '' && !userIdProblem(pick.value) ? pick.value : undefined);
        if (id !== undefined) finish(id);
      });
      pick.onDidHide(() => finish(undefined));
      pick.show();
    });
  }
}
