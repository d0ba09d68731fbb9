/**
 * Which flows of a downloaded bot may become files, and under what names. Flow names come from the Studio
 * and are untrusted: a name that could leave `flows/`, that some disk could not hold, or that would land on
 * the same file as another flow's name is refused, never changed, so no file is ever named otherwise than
 * its flow.
 */

import { hasControlCharacters } from '../common/controlCharacters';

export interface FlowFile {
  readonly name: string;
  /** `Billing.Legacy.csml` */
  readonly source: string;
  /** `Billing.Legacy.cmds.csml` */
  readonly commands: string;
}

export interface RefusedFlow {
  readonly name: string;
  /** A short clause that fits "Flow X was not written: <reason>." */
  readonly reason: string;
}

const SOURCE_EXTENSION = '.csml';
const COMMANDS_EXTENSION = '.cmds.csml';
/** Windows allows 255 UTF-16 units in a file name; this leaves room for `.cmds.csml` and then some. */
const MAX_NAME_LENGTH = 200;
/** Most Linux and macOS disks allow 255 bytes of UTF-8 in a file name. */
const MAX_FILE_NAME_BYTES = 255;
const WINDOWS_FORBIDDEN = /[<>:"|?*]/;
/** Windows opens a device for these whatever the extension: `CON.csml` is the console. */
const WINDOWS_DEVICE = /^(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3])$/i;
/** An unpaired surrogate becomes U+FFFD on disk, so two different names could share one file. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The key under which two names would be one file on a case-insensitive, normalisation-insensitive disk
 * (NTFS, APFS, HFS+). Upper then lower case catches more than lower case alone (`ß` and `ss`, `ſ` and `s`):
 * refusing a pair some disk would keep apart costs little, writing one flow over another costs a flow.
 */
const INVISIBLE = /\p{Cf}/u;

function fileKey(name: string): string {
  return name.normalize('NFD').toUpperCase().toLowerCase().normalize('NFC');
}

/** Why a name cannot be a file name on its own, or undefined when it can. */
function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return name === '' ? 'its name is empty' : 'its name is only blank space';
  if (hasControlCharacters(name)) return 'its name holds a control character';
  if (LONE_SURROGATE.test(name)) return 'its name holds a broken Unicode character';
  // Zero-width and direction marks: a file that looks like another flow's, or reads otherwise than it is.
  if (INVISIBLE.test(name)) return 'its name holds an invisible formatting character';
  if (name.includes('/')) return 'its name holds a "/"';
  if (name.includes('\\')) return 'its name holds a "\\"';
  if (name.includes('..')) return 'its name holds ".."';
  const forbidden = WINDOWS_FORBIDDEN.exec(name);
  if (forbidden) return `its name holds a "${forbidden[0]}", which Windows forbids in file names`;
  if (name.startsWith(' ')) return 'its name starts with a space';
  if (name.endsWith(' ')) return 'its name ends with a space, which Windows drops from file names';
  if (name.endsWith('.')) return 'its name ends with a dot, which Windows drops from file names';
  // Windows also drops the spaces before the dot: `CON .csml` is still the console.
  const stem = name.slice(0, name.includes('.') ? name.indexOf('.') : undefined).trimEnd();
  if (WINDOWS_DEVICE.test(stem)) return `"${stem}" names a device on Windows, not a file`;
  if (name.length > MAX_NAME_LENGTH) return `its name is longer than ${MAX_NAME_LENGTH} characters`;
  if (Buffer.byteLength(name + COMMANDS_EXTENSION, 'utf8') > MAX_FILE_NAME_BYTES) {
    return `its file name would be longer than the ${MAX_FILE_NAME_BYTES} bytes most disks allow`;
  }
  if (fileKey(name).endsWith('.cmds')) return 'its name ends in ".cmds", so its file would be read as the commands of another flow';
  return undefined;
}

/**
 * The files of each flow that can be written, in the order given, and the flows that cannot, each once,
 * with the reason. Names that would share a file with another flow's are all refused: which one the
 * Studio meant to keep is not for a download to guess.
 */
export function flowFiles(names: readonly string[]): { accepted: FlowFile[]; refused: RefusedFlow[] } {
  // Maps, not objects: a flow may well be named `__proto__`.
  const copies = new Map<string, number>();
  const namesByKey = new Map<string, Set<string>>();
  const problems = new Map<string, string | undefined>();
  for (const name of names) {
    copies.set(name, (copies.get(name) ?? 0) + 1);
    if (problems.has(name)) continue;
    const problem = nameProblem(name);
    problems.set(name, problem);
    if (problem === undefined) {
      const key = fileKey(name);
      const same = namesByKey.get(key) ?? new Set<string>();
      same.add(name);
      namesByKey.set(key, same);
    }
  }

  const clash = (name: string): string | undefined => {
    if ((copies.get(name) ?? 0) > 1) return 'the Studio sent more than one flow with this name';
    if ((namesByKey.get(fileKey(name))?.size ?? 0) > 1) {
      return 'the name of another flow differs from it only by case or Unicode form, and on some disks one file would overwrite the other';
    }
    return undefined;
  };

  const accepted: FlowFile[] = [];
  const refused: RefusedFlow[] = [];
  const reported = new Set<string>();
  for (const name of names) {
    if (reported.has(name)) continue;
    reported.add(name);
    const reason = problems.get(name) ?? clash(name);
    if (reason === undefined) {
      accepted.push({ name, source: name + SOURCE_EXTENSION, commands: name + COMMANDS_EXTENSION });
    } else {
      refused.push({ name, reason });
    }
  }
  return { accepted, refused };
}
