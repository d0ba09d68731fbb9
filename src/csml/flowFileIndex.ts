import { compareFlowFiles, flowNameOfFile } from './flowMatch';

/** Most flows live in one file: a lone path is kept as is, a Set only once there are several. */
type FlowPaths = string | Set<string>;

/**
 * The workspace's flow files grouped by flow name, so that finding the file of
 * a conversation's flow is a map lookup rather than a search. Its owner keeps it
 * fresh from file-system events.
 */
export class FlowFileIndex {
  // Keyed by lower-cased flow name, as the engine matches names case-insensitively.
  private readonly pathsByFlow = new Map<string, FlowPaths>();
  private pathCount = 0;

  constructor(paths: Iterable<string> = []) {
    this.reset(paths);
  }

  /** How many flow files are indexed. */
  get size(): number {
    return this.pathCount;
  }

  /** Indexes a path; returns false when it is not a flow file or is already there. */
  add(path: string): boolean {
    const key = flowKey(path);
    if (key === undefined) {
      return false;
    }
    const paths = this.pathsByFlow.get(key);
    if (paths === undefined) {
      this.pathsByFlow.set(key, path);
    } else if (typeof paths === 'string') {
      if (paths === path) {
        return false;
      }
      this.pathsByFlow.set(key, new Set([paths, path]));
    } else {
      if (paths.has(path)) {
        return false;
      }
      paths.add(path);
    }
    this.pathCount++;
    return true;
  }

  /** Forgets a path; returns false when it was not indexed. */
  remove(path: string): boolean {
    const key = flowKey(path);
    const paths = key === undefined ? undefined : this.pathsByFlow.get(key);
    if (key === undefined || paths === undefined) {
      return false;
    }
    if (typeof paths === 'string') {
      if (paths !== path) {
        return false;
      }
      this.pathsByFlow.delete(key);
    } else {
      if (!paths.delete(path)) {
        return false;
      }
      if (paths.size === 1) {
        this.pathsByFlow.set(key, paths.values().next().value as string);
      }
    }
    this.pathCount--;
    return true;
  }

  /** Replaces the whole index, for a fresh workspace search. */
  reset(paths: Iterable<string>): void {
    this.pathsByFlow.clear();
    this.pathCount = 0;
    for (const path of paths) {
      this.add(path);
    }
  }

  /** The files of a flow, in the same order as `matchFlowFiles`. */
  lookup(flowName: string): string[] {
    const paths = this.pathsByFlow.get(flowName.toLowerCase());
    if (paths === undefined) {
      return [];
    }
    if (typeof paths === 'string') {
      return [paths];
    }
    return [...paths].sort((a, b) => compareFlowFiles(flowName, a, b));
  }
}

/** The index's key for a flow file: its flow name, compared case-insensitively; undefined for other files. */
function flowKey(path: string): string | undefined {
  return flowNameOfFile(path)?.toLowerCase();
}
