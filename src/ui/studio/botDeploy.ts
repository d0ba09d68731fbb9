import {
  CancellationToken,
  commands,
  env,
  ProgressLocation,
  QuickPickItem,
  QuickPickItemKind,
  TabInputTextDiff,
  Uri,
  window,
  workspace,
} from 'vscode';
import { FlowCatalog } from '../../conversations/flowCatalog';
import { botAfterDeploy, deployProblems } from '../../roundtrip/deployChecks';
import { lockDeploy } from '../../roundtrip/deployLock';
import { DeployStep, planDeploy, stepName } from '../../roundtrip/deployPlan';
import { baseAfterSent, DeployOperation, DeployOutcome, operationsFor, sendDeploy } from '../../roundtrip/deploySend';
import { DeployedBases } from '../../roundtrip/deployedBases';
import { commandsHash, contentHash, DeployedBase, DeployedFlow } from '../../roundtrip/downloadPlan';
import { StudioConnection } from '../../conversations/studioConnection';
import { asStudioError, StudioError } from '../../studio/errors';
import { withPacedRetry } from '../../studio/pacedRetry';
import type { Bot, BotBuild, Flow } from '../../studio/schema';
import { Command } from '../commandIds';
import { DeployedFlows } from '../deployedFlows';
import { CsmlWorkspace } from '../language/csmlWorkspace';
import { Logger } from '../log';
import { remedyFor } from '../remedy';
import { StudioAccess } from '../studioAccess';
import { chooseBotFolder, commandsFileOf, count, folderLabel, folderUri, LocalBot, readBotName, readLocalBot } from './localBot';
import { StudioValidation } from './studioValidation';

/** What a deploy did, for scripts and tests. */
export interface DeployResult {
  readonly outcome?: DeployOutcome;
  /** Conflicts settled by taking the Studio's version into the local file. */
  readonly taken: readonly string[];
  readonly skipped: readonly string[];
}

export interface DeployListeners {
  /** Flows were sent or local files rewritten: rows, drift markers and comparisons must read them now. */
  deployed(flows: readonly Flow[]): void;
}

type ConflictChoice = 'overwrite' | 'takeTheirs' | 'skip';

/** How many times a deploy plans again for flows changed during it before it lets the user deploy later. */
const MAX_ROUNDS = 3;

interface StepItem extends QuickPickItem {
  readonly step?: DeployStep;
}

/** Ends a deploy with a message already shown. */
class Stop extends Error {}

/**
 * `CSML: Deploy to Studio…`: a plan first, conflicts settled flow by flow, then the changes sent one request at a
 * time, each recorded as it lands. Nobody's work is lost: a flow the Studio changed since this folder last had it
 * is never overwritten without the user's choice, and a deployed flow is deleted only when ticked.
 */
export class BotDeploy {
  /** The deployed versions shown against local files while conflicts were settled. */
  private readonly comparisons = new Set<string>();

  constructor(
    private readonly csml: CsmlWorkspace,
    private readonly access: StudioAccess,
    private readonly validation: StudioValidation,
    private readonly bases: DeployedBases,
    private readonly catalog: FlowCatalog,
    private readonly deployedFlows: DeployedFlows,
    private readonly lockFolder: Uri,
    private readonly listeners: DeployListeners,
    private readonly logger: Logger,
  ) {}

  async deploy(target?: Uri): Promise<DeployResult | undefined> {
    const folder = await chooseBotFolder(this.csml, target ?? window.activeTextEditor?.document.uri, 'Deploy Which Bot to the Studio?');
    if (!folder) return undefined;
    let connection: StudioConnection;
    let bot: Bot;
    try {
      connection = await this.access.connect();
      bot = await withPacedRetry(() => connection.client.getBot());
    } catch (error) {
      this.fail(asStudioError(error));
      return undefined;
    }
    const baseKey = folderUri(folder).toString();
    let lock: Awaited<ReturnType<typeof lockDeploy>>;
    try {
      lock = await lockDeploy(this.lockFolder.fsPath, bot.id ?? `${connection.client.baseUrl.href}\n${bot.name}`);
    } catch (error) {
      this.logger.warn(`the deploy lock could not be taken: ${String(error)}`);
      void window.showErrorMessage(
        `The deploy could not make sure no other window deploys ${bot.name} (its lock file could not be written); check that VS Code can write its storage folder, then deploy again.`,
      );
      return undefined;
    }
    if (!lock) {
      void window.showWarningMessage(
        `Another deploy of ${bot.name} is under way, in this window or another; wait for it to finish, then deploy again.`,
      );
      return undefined;
    }
    try {
      return await this.deployLocked(folder, baseKey, connection, bot);
    } catch (error) {
      if (!(error instanceof Stop)) this.fail(asStudioError(error));
      return undefined;
    } finally {
      await lock.release();
    }
  }

  async buildVersion(): Promise<BotBuild | undefined> {
    try {
      const connection = await this.access.connect();
      const build = await window.withProgress({ location: ProgressLocation.Notification, title: 'Building a version of the bot' }, () =>
        withPacedRetry(() => connection.client.buildVersion()),
      );
      const engine = build.engineVersion ? ` with engine ${build.engineVersion}` : '';
      this.logger.info(`built version ${build.versionId}${engine}`);
      void window.showInformationMessage(`Built version ${build.versionId}${engine}.`, 'Copy Version Id').then((choice) => {
        if (choice) void env.clipboard.writeText(build.versionId);
      });
      return build;
    } catch (error) {
      this.fail(asStudioError(error));
      return undefined;
    }
  }

  private async deployLocked(folder: string, baseKey: string, connection: StudioConnection, bot: Bot): Promise<DeployResult | undefined> {
    const kept = this.bases.get(baseKey);
    await this.checkIdentity(folder, bot, kept?.base);
    const local = await readLocalBot(this.csml, folder);
    await this.checkWithStudio(folder);
    const deployed = await window.withProgress({ location: ProgressLocation.Notification, title: 'Reading the deployed flows' }, () =>
      withPacedRetry(() => connection.client.getFlows()),
    );
    const steps = planDeploy(
      [...local.flows.values()].map(({ name, content, commands }) => ({ name, content, commands })),
      deployed,
      kept?.base,
    );
    const chosen = await this.choosePlan(bot, steps);
    if (!chosen) return undefined;
    const decisions = await this.settleConflicts(local, chosen.steps);
    if (!decisions) return undefined;
    const taken = [...(await this.takeTheirs(baseKey, bot, local, decisions.takeTheirs))];
    const skipped = [...decisions.skipped];
    let toSend = chosen.steps.filter((step) => step.kind !== 'conflict' || decisions.overwrite.includes(step));
    let deletions = chosen.deletions;
    let outcome: DeployOutcome | undefined;
    let current: readonly Flow[] = deployed;
    // A flow a colleague changed between the plan and the send becomes a conflict: the user chooses again for it.
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const operations = operationsFor(toSend, deletions);
      if (operations.length === 0) break;
      await this.checkResult(bot, current, operations);
      outcome = await this.sendAll(bot, baseKey, connection, toSend, operations);
      if (outcome.changedSincePlan.length === 0) break;
      const again = await this.replanChanged(bot, baseKey, connection, local, outcome.changedSincePlan);
      if (!again) return undefined;
      current = again.deployed;
      taken.push(...again.taken);
      skipped.push(...again.skipped);
      const changed = new Set(outcome.changedSincePlan);
      toSend = [...toSend.filter((step) => !changed.has(stepName(step))), ...again.toSend];
      deletions = new Set([...deletions].filter((id) => !again.droppedDeletions.has(id)));
    }
    if (!outcome) {
      void window.showInformationMessage(
        `Nothing was sent to ${bot.name}${taken.length ? `; ${count(taken.length, 'flow')} taken from the Studio` : ''}.`,
      );
      this.refreshViews(deployed);
      return { taken, skipped };
    }
    this.report(bot, outcome, taken);
    await this.closeComparisons();
    const now = await withPacedRetry(() => connection.client.getFlows()).catch(() => undefined);
    if (now) this.catalog.keep(connection, now);
    this.refreshViews(now ?? deployed);
    return { outcome, taken, skipped };
  }

  /** Sends the operations with progress and cancellation, moving the base as each flow lands. */
  private sendAll(
    bot: Bot,
    baseKey: string,
    connection: StudioConnection,
    steps: readonly DeployStep[],
    operations: readonly DeployOperation[],
  ): Thenable<DeployOutcome> {
    // Read again each time: taking the Studio's version moved the base of those flows.
    let base: DeployedBase = this.bases.get(baseKey)?.base ?? { botId: bot.id, flows: {} };
    return window.withProgress(
      { location: ProgressLocation.Notification, title: `Deploying to ${bot.name}`, cancellable: true },
      (progress, token) =>
        this.send(token, (signal) =>
          sendDeploy(connection.client, steps, operations, {
            signal,
            onProgress: (done, total, operation) =>
              progress.report({ message: `${operation.name} (${done + 1} of ${total})`, increment: 100 / total }),
            onWait: (seconds) => progress.report({ message: `the Studio asked to wait ${seconds} s` }),
            // Each flow that landed moves the base at once: a deploy cut short resumes where it stopped.
            onSent: async (sent) => {
              base = baseAfterSent(base, bot.id, sent);
              await this.bases.set(baseKey, { base, studio: connection.client.baseUrl.href, downloadedAt: new Date().toISOString() });
            },
          }),
        ),
    );
  }

  /**
   * The flows that changed in the Studio after the plan, planned again against what it holds now: each is a
   * conflict to settle; a deployed flow that was to be deleted and changed is kept. Undefined when cancelled.
   */
  private async replanChanged(
    bot: Bot,
    baseKey: string,
    connection: StudioConnection,
    local: LocalBot,
    changedNames: readonly string[],
  ): Promise<{ toSend: DeployStep[]; taken: string[]; skipped: string[]; droppedDeletions: Set<string>; deployed: Flow[] } | undefined> {
    const changed = new Set(changedNames);
    const now = await withPacedRetry(() => connection.client.getFlows());
    const replanned = planDeploy(
      [...local.flows.values()].map(({ name, content, commands }) => ({ name, content, commands })),
      now,
      this.bases.get(baseKey)?.base,
    ).filter((step) => changed.has(stepName(step)));
    const droppedDeletions = new Set(replanned.flatMap((step) => (step.kind === 'remoteOnly' ? [step.deployed.id] : [])));
    if (droppedDeletions.size > 0) {
      void window.showWarningMessage(
        `${replanned
          .filter((step) => step.kind === 'remoteOnly')
          .map(stepName)
          .join(', ')} changed in the Studio after the plan, so it was not deleted; deploy again to decide with its new version.`,
      );
    }
    void window.showInformationMessage(`${changedNames.join(', ')} changed in the Studio after the plan: compare and choose again.`);
    const decisions = await this.settleConflicts(local, replanned);
    if (!decisions) return undefined;
    const taken = await this.takeTheirs(baseKey, bot, local, decisions.takeTheirs);
    const toSend = replanned.filter((step) => (step.kind === 'conflict' ? decisions.overwrite.includes(step) : step.kind !== 'remoteOnly'));
    return { toSend, taken, skipped: decisions.skipped, droppedDeletions, deployed: now };
  }

  private async send<T>(token: CancellationToken, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const cancelling = token.onCancellationRequested(() => controller.abort());
    try {
      return await work(controller.signal);
    } finally {
      cancelling.dispose();
    }
  }

  /** The credentials' bot must be the folder's: by the id remembered at download, else by name and the user's word. */
  private async checkIdentity(folder: string, bot: Bot, base: DeployedBase | undefined): Promise<void> {
    if (base?.botId !== undefined && bot.id !== undefined) {
      if (base.botId === bot.id) return;
      void window.showErrorMessage(
        `${folderLabel(folder)} was downloaded from another bot than "${bot.name}", whose credentials are in use: switch to that bot's credentials, or download "${bot.name}" into a folder of its own.`,
      );
      throw new Stop();
    }
    const localName = await readBotName(folder);
    if (localName !== undefined && localName.trim().toLowerCase() !== bot.name.trim().toLowerCase()) {
      void window.showErrorMessage(
        `${folderLabel(folder)}'s bot.json is "${localName}", but the credentials are those of "${bot.name}": set the credentials of this folder's bot.`,
      );
      throw new Stop();
    }
    const answer = await window.showWarningMessage(
      `Deploy ${folderLabel(folder)} to "${bot.name}"?`,
      {
        modal: true,
        detail: `This folder has no record of the bot it came from (it was not downloaded or deployed from VS Code). The Studio's bot is "${bot.name}"${localName ? ', as its bot.json says' : ''}.`,
      },
      'Deploy',
    );
    if (answer !== 'Deploy') throw new Stop();
  }

  /**
   * The local checks must pass on the bot as the deploy would leave it (the flows sent, and those it leaves as
   * deployed, taken from the Studio included), unless the user insists.
   */
  private async checkResult(bot: Bot, deployed: readonly Flow[], operations: readonly DeployOperation[]): Promise<void> {
    const defaultFlow = deployed.find((flow) => flow.id === bot.defaultFlow || flow.name === bot.defaultFlow)?.name;
    const found = deployProblems(botAfterDeploy(deployed, operations), defaultFlow);
    if (found.errors === 0 && found.endings === 0) return;
    const parts = [
      ...(found.errors ? [count(found.errors, 'error')] : []),
      ...(found.endings ? [`${count(found.endings, 'goto')} to a missing step or flow`] : []),
    ];
    await this.insist(`After this deploy, ${bot.name} would have ${parts.join(' and ')}.`, found.examples.join('\n'));
  }

  /** The Studio's validation must pass, unless the user insists. */
  private async checkWithStudio(folder: string): Promise<void> {
    const validated = await window.withProgress(
      { location: ProgressLocation.Notification, title: 'Validating with the Studio', cancellable: true },
      (_progress, token) => this.validation.validateFolder(folder, token),
    );
    if (!validated) {
      void window.showWarningMessage(
        'A newer validation of the bot began while this deploy waited for its own; deploy again once it is done.',
      );
      throw new Stop();
    }
    if (validated.outcome.valid) return;
    const total =
      [...validated.outcome.places.byFlow.values()].reduce((n, errors) => n + errors.length, 0) + validated.outcome.places.elsewhere.length;
    await this.insist(`The Studio's engine finds ${count(total, 'error')} in the bot.`);
  }

  private async insist(problem: string, examples = ''): Promise<void> {
    const answer = await window.showWarningMessage(
      problem,
      { modal: true, detail: `${examples ? `${examples}\n\n` : ''}A conversation that meets one of them stops there.` },
      'Deploy Anyway',
      'Show Problems',
    );
    if (answer === 'Show Problems') void commands.executeCommand('workbench.actions.view.problems');
    if (answer !== 'Deploy Anyway') throw new Stop();
  }

  /** The plan, shown: what is sent is checked; a deployed flow with no local file is deleted only if ticked. */
  private async choosePlan(bot: Bot, steps: readonly DeployStep[]): Promise<{ steps: DeployStep[]; deletions: Set<string> } | undefined> {
    const clashes = steps.flatMap((step) => (step.kind === 'clash' ? [step] : []));
    if (clashes.length > 0) {
      const named = clashes
        .map((step) => `${step.local.name} (the Studio has ${step.deployed.map((flow) => flow.name).join(', ')})`)
        .join('; ');
      void window.showWarningMessage(
        `Not deployed, as their names differ from deployed flows' by case alone and the engine would not tell them apart: ${named}; rename them here or in the Studio.`,
      );
    }
    const sendable = steps.filter((step) => step.kind !== 'unchanged' && step.kind !== 'clash');
    const unchanged = steps.length - sendable.length;
    if (sendable.length === 0) {
      void window.showInformationMessage(`Nothing to deploy: the ${count(unchanged, 'flow')} here are as ${bot.name} has them.`);
      return undefined;
    }
    const section = (label: string): StepItem => ({ label, kind: QuickPickItemKind.Separator });
    const item = (step: DeployStep, label: string, detail: string): StepItem => ({ label, detail, step });
    const items: StepItem[] = [];
    const add = (title: string, wanted: (step: DeployStep) => boolean, detail: string) => {
      const matching = sendable.filter(wanted);
      if (matching.length === 0) return;
      items.push(section(title));
      for (const step of matching) items.push(item(step, stepName(step), detail));
    };
    const ahead = (step: DeployStep) => step.kind === 'conflict' && step.why === 'studioAhead';
    add('Changed here: sent', (step) => step.kind === 'update', 'Changed here since last downloaded or deployed');
    add('New here: created', (step) => step.kind === 'create', 'Only in this folder');
    add(
      'Changed here and in the Studio: compare next',
      (step) => step.kind === 'conflict' && !ahead(step),
      'A colleague may have changed it too',
    );
    add('Changed only in the Studio: check to compare', ahead, 'Yours is as last downloaded');
    add('Only in the Studio: deleted if checked', (step) => step.kind === 'remoteOnly', 'No local file');
    const picker = window.createQuickPick<StepItem>();
    picker.title = `Deploy to ${bot.name}${unchanged ? ` (${count(unchanged, 'flow')} unchanged)` : ''}`;
    picker.placeholder = 'Enter deploys the checked flows; Escape cancels';
    picker.canSelectMany = true;
    picker.ignoreFocusOut = true;
    picker.items = items;
    // A flow only the Studio changed is left as it is unless asked: nothing here is newer than it.
    picker.selectedItems = items.filter((entry) => entry.step && entry.step.kind !== 'remoteOnly' && !ahead(entry.step));
    const picked = await new Promise<readonly StepItem[] | undefined>((resolve) => {
      let accepted = false;
      picker.onDidAccept(() => {
        accepted = true;
        resolve(picker.selectedItems);
        picker.hide();
      });
      picker.onDidHide(() => {
        if (!accepted) resolve(undefined);
        picker.dispose();
      });
      picker.show();
    });
    if (!picked) return undefined;
    const chosen = picked.flatMap((entry) => (entry.step ? [entry.step] : []));
    const deletions = new Set(chosen.flatMap((step) => (step.kind === 'remoteOnly' ? [step.deployed.id] : [])));
    return { steps: chosen, deletions };
  }

  /** Each conflict: the deployed version against the local one, and the user's choice. Undefined when cancelled. */
  private async settleConflicts(
    local: LocalBot,
    steps: readonly DeployStep[],
  ): Promise<{ overwrite: DeployStep[]; takeTheirs: DeployStep[]; skipped: string[] } | undefined> {
    const decided = { overwrite: [] as DeployStep[], takeTheirs: [] as DeployStep[], skipped: [] as string[] };
    for (const step of steps) {
      if (step.kind !== 'conflict') continue;
      const file = local.flows.get(step.local.name);
      const deployedUri = this.deployedFlows.uriFor(step.deployed);
      if (file && deployedUri) {
        this.comparisons.add(deployedUri.toString());
        await commands.executeCommand('vscode.diff', deployedUri, file.uri, `${step.deployed.name}.csml (Deployed ↔ Local)`, {
          preview: true,
        });
      }
      const overwrite = {
        label: '$(cloud-upload) Overwrite the Studio with Mine',
        detail: "The Studio's version is replaced by yours",
        choice: 'overwrite' as const,
      };
      const theirs = {
        label: '$(cloud-download) Take the Studio’s Version',
        detail: 'Your file gets it; nothing is sent',
        choice: 'takeTheirs' as const,
      };
      const skip = { label: '$(debug-step-over) Skip This Flow', detail: 'Neither side changes', choice: 'skip' as const };
      const ahead = step.why === 'studioAhead';
      const choice = await window.showQuickPick<QuickPickItem & { choice: ConflictChoice }>(
        ahead ? [theirs, skip, overwrite] : [overwrite, theirs, skip],
        {
          title: `${step.deployed.name}: ${ahead ? 'Changed Only in the Studio' : step.why === 'noBase' ? 'Differs from the Studio' : 'Changed Here and in the Studio'}`,
          placeHolder: ahead
            ? 'Compare, then choose'
            : step.why === 'noBase'
              ? 'No record of where yours started: compare, then choose'
              : 'Compare, then choose',
          ignoreFocusOut: true,
        },
      );
      if (!choice) return undefined;
      if (choice.choice === 'overwrite') decided.overwrite.push(step);
      else if (choice.choice === 'takeTheirs') decided.takeTheirs.push(step);
      else decided.skipped.push(step.deployed.name);
    }
    return decided;
  }

  /** Writes the deployed version into each chosen local file, and takes it as the base. */
  private async takeTheirs(baseKey: string, bot: Bot, local: LocalBot, steps: readonly DeployStep[]): Promise<string[]> {
    const taken: string[] = [];
    const current = this.bases.get(baseKey);
    const flows: Record<string, DeployedFlow> = Object.create(null) as Record<string, DeployedFlow>;
    for (const [name, known] of Object.entries(current?.base.flows ?? {})) flows[name] = known;
    for (const step of steps) {
      if (step.kind !== 'conflict' || step.deployed.content === undefined) continue;
      const file = local.flows.get(step.local.name);
      if (!file) continue;
      const commandsFile = commandsFileOf(file.uri);
      const unsaved = workspace.textDocuments.find(
        (document) => document.isDirty && [file.uri.toString(), commandsFile.toString()].includes(document.uri.toString()),
      );
      if (unsaved) {
        void window.showWarningMessage(
          `${step.deployed.name} has unsaved changes, so the Studio's version was not written: save or revert it, then deploy again.`,
        );
        continue;
      }
      await workspace.fs.writeFile(file.uri, new TextEncoder().encode(step.deployed.content));
      // Its commands come along, so that the next deploy does not send the old ones back.
      const commands = step.deployed.commands ?? [];
      if (file.commands !== undefined || commands.length > 0) {
        await workspace.fs.writeFile(commandsFile, new TextEncoder().encode(commands.length ? `${commands.join('\n')}\n` : ''));
      }
      flows[step.deployed.name] = {
        id: step.deployed.id,
        contentHash: contentHash(step.deployed.content),
        commandsHash: commandsHash(step.deployed.commands),
        updatedAt: step.deployed.updatedAt,
      };
      taken.push(step.deployed.name);
    }
    if (taken.length > 0) {
      await this.bases.set(baseKey, {
        base: { botId: bot.id, flows },
        studio: current?.studio ?? '',
        downloadedAt: new Date().toISOString(),
      });
    }
    return taken;
  }

  private report(bot: Bot, outcome: DeployOutcome, taken: readonly string[]): void {
    const names = (operations: ReadonlyArray<{ name: string }>) => operations.map((operation) => operation.name).join(', ');
    for (const { operation } of outcome.sent) this.logger.info(`deployed: ${operation.kind} ${operation.name}`);
    if (outcome.changedSincePlan.length > 0) {
      void window
        .showWarningMessage(
          `Nothing was sent: ${outcome.changedSincePlan.join(', ')} changed in the Studio after the plan was made; deploy again to see the change and choose.`,
          'Deploy Again',
        )
        .then((choice) => choice && commands.executeCommand(Command.deploy));
      return;
    }
    const tookFrom = taken.length ? `, and ${taken.join(', ')} taken from the Studio` : '';
    const sent = `${count(outcome.sent.length, 'flow')} deployed to ${bot.name}${tookFrom}`;
    if (outcome.failed || outcome.cancelled) {
      const landed = names(outcome.sent.map((done) => done.operation)) || 'none';
      const rest = outcome.notSent.length > 0 ? `; not sent: ${names(outcome.notSent)}` : '';
      const failure = outcome.failed?.error;
      // What happened, without the error's own advice: the advice for the whole deploy follows.
      const why = failure ? failure.message.split(';')[0].replace(/\.$/, '') : '';
      const stopped = failure ? `${outcome.failed?.operation.name} failed (${why})` : 'the deploy was cancelled';
      this.logger.warn(`deploy stopped: ${stopped}${failure ? ` (${failure.message})` : ''}; deployed: ${landed}${rest}`);
      // What fixes the failure comes first; deploying again then sends only what did not land.
      const remedy = failure ? remedyFor(failure.kind) : undefined;
      const next = remedy ? `run "CSML: ${remedy.title}", then deploy again to send the rest` : 'deploy again to send the rest';
      void window
        .showWarningMessage(`${sent} (${landed}); ${stopped}${rest}: ${next}.`, remedy?.title ?? 'Deploy Again', 'Show Log')
        .then((choice) => {
          if (choice === 'Show Log') void commands.executeCommand(Command.showLog);
          else if (choice) void commands.executeCommand(remedy?.command ?? Command.deploy);
        });
      return;
    }
    void window
      .showInformationMessage(`${sent}.`, 'Build Version')
      .then((choice) => choice && commands.executeCommand(Command.buildVersion));
  }

  /** The diffs the conflicts opened show a deployed version that is no longer current once the deploy is done. */
  private async closeComparisons(): Promise<void> {
    const stale = window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof TabInputTextDiff && this.comparisons.has(tab.input.original.toString()) && !tab.isDirty);
    this.comparisons.clear();
    if (stale.length > 0) await window.tabGroups.close(stale, true);
  }

  private refreshViews(flows: readonly Flow[]): void {
    this.listeners.deployed(flows);
  }

  private fail(error: StudioError): void {
    if (error.kind === 'cancelled') return;
    this.logger.warn(`deploy failed: ${error.message}`);
    const remedy = remedyFor(error.kind);
    void window
      .showErrorMessage(error.message, ...(remedy ? [remedy.title] : []))
      .then((choice) => choice && remedy && commands.executeCommand(remedy.command));
  }
}
