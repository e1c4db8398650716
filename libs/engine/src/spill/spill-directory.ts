import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ResourceError } from '@tributary/common';

/** A failed spill (disk full, folder gone) as a typed error naming the operator. */
export function spillFailed(operator: string, cause: unknown): ResourceError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ResourceError('SPILL_FAILED', `${operator} could not spill to disk: ${reason}`, {
    details: { operator },
    cause,
  });
}

/**
 * The folder of one operator execution's spill files: a fresh subfolder of the task's spill
 * folder, so two operators (or two runs of one) never share a file name, and removing it
 * removes everything the execution wrote.
 */
export class SpillDirectory {
  private files = 0;

  private constructor(
    readonly path: string,
    readonly operator: string,
  ) {}

  /** Creates `<root>/<prefix>-XXXXXX` (and root itself if missing). */
  static async create(root: string, operator: string): Promise<SpillDirectory> {
    const prefix = operator.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    try {
      await mkdir(root, { recursive: true });
      return new SpillDirectory(await mkdtemp(join(root, `${prefix}-`)), operator);
    } catch (error) {
      throw spillFailed(operator, error);
    }
  }

  /** A new file name in the folder, unique within it: `<kind>-<n>.arrows`. */
  newFilePath(kind: string): string {
    return join(this.path, `${kind}-${this.files++}.arrows`);
  }

  /** Removes the folder and every file in it; never fails (the folder may already be gone). */
  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }
}

/**
 * Creates an operator's SpillDirectory on first use (an operator that never spills touches
 * no disk) and removes it when the operator finishes, fails or is cancelled.
 */
export class LazySpillDirectory {
  private directory: SpillDirectory | undefined;
  private creating: Promise<SpillDirectory> | undefined;

  constructor(
    private readonly root: string,
    private readonly operator: string,
  ) {}

  get(): Promise<SpillDirectory> {
    this.creating ??= SpillDirectory.create(this.root, this.operator).then((d) => (this.directory = d));
    return this.creating;
  }

  async remove(): Promise<void> {
    if (this.creating) await this.creating.catch(() => undefined);
    await this.directory?.remove();
  }
}
