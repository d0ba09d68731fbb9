import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Uri, window, workspace } from 'vscode';
import { TranscriptEntry } from '../../chat/chatTranscript';
import { CHAT_TEST_SUFFIX } from '../../chattests/chatTestFile';
import { chatTestText, testFileNameProblem, testFromTranscript } from '../../chattests/testFromTranscript';

const TESTS_FOLDER = 'tests';

/**
 * `CSML: Save Test Chat as Test…`: the session since the last flow started, written to `tests/<name>.chat.json`
 * in a workspace folder and opened. A file that exists is never replaced: the name is asked again.
 */
export async function saveChatAsTest(entries: readonly TranscriptEntry[]): Promise<Uri | undefined> {
  if (!testFromTranscript(entries, 'draft')) {
    void window.showInformationMessage(
      'Nothing to save yet: talk to the bot in the Test Chat first. A test keeps what reached the bot since the last restart.',
    );
    return undefined;
  }
  const folders = workspace.workspaceFolders ?? [];
  const folder =
    folders.length <= 1 ? folders[0] : await window.showWorkspaceFolderPick({ placeHolder: 'The folder whose tests/ the test goes into' });
  if (!folder) {
    if (folders.length === 0)
      void window.showInformationMessage('Open the folder of your bot first: the test is saved in its tests/ folder.');
    return undefined;
  }
  if (folder.uri.scheme !== 'file') {
    void window.showWarningMessage('Tests are saved to folders on disk; this folder is not one.');
    return undefined;
  }
  const testsFolder = path.join(folder.uri.fsPath, TESTS_FOLDER);
  const fileOf = (name: string) => path.join(testsFolder, `${name.trim()}${CHAT_TEST_SUFFIX}`);
  const name = await window.showInputBox({
    title: 'CSML: Save Test Chat as Test',
    prompt: `Saved as ${TESTS_FOLDER}/<name>${CHAT_TEST_SUFFIX}, from the last restart or flow started to now.`,
    placeHolder: 'order a large pizza',
    ignoreFocusOut: true,
    validateInput: async (value) =>
      testFileNameProblem(value.trim()) ??
      ((await exists(fileOf(value))) ? `${TESTS_FOLDER}/${value.trim()}${CHAT_TEST_SUFFIX} exists; choose another name.` : undefined),
  });
  if (name === undefined) return undefined;
  const test = testFromTranscript(entries, name.trim());
  if (!test) return undefined;
  const file = fileOf(name);
  try {
    await fs.mkdir(testsFolder, { recursive: true });
    // 'wx': a file made meanwhile, by anyone, is never overwritten.
    await fs.writeFile(file, chatTestText(test), { flag: 'wx' });
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'a file of that name appeared meanwhile' : String((error as Error).message);
    void window.showErrorMessage(`The test was not saved (${why}); try again with another name.`);
    return undefined;
  }
  const uri = Uri.file(file);
  await window.showTextDocument(uri, { preview: false });
  void window.showInformationMessage(
    `Saved ${TESTS_FOLDER}/${path.basename(file)}: ${test.turns.length === 1 ? '1 turn' : `${test.turns.length} turns`}. Run it from the Testing view, or edit what it expects.`,
  );
  return uri;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}
