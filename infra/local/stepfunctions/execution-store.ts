import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionDocument } from './execution-document.ts';
import { executionId } from './task-token.ts';

interface WriteSlot {
  tail: Promise<void>;
  queued: Promise<void> | undefined;
}

let temporarySequence = 0;

/** Writes `text` to `file` so that a reader (or a crash) only ever sees the old or the new text. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  temporarySequence += 1;
  const temporary = `${file}.${process.pid}.${temporarySequence}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, file);
}

/**
 * Executions on disk under `${dataDir}/stepfunctions/`: one JSON document per execution in
 * `executions/`, and the secret task tokens are signed with. Saves of one execution are
 * serialized and coalesced: a save resolves once a write that started after it has landed.
 */
export class ExecutionStore {
  public readonly directory: string;
  public readonly secret: Buffer;
  readonly #slots = new Map<string, WriteSlot>();
  readonly #log: (line: string) => void;
  #closed = false;

  private constructor(directory: string, secret: Buffer, log: (line: string) => void) {
    this.directory = directory;
    this.secret = secret;
    this.#log = log;
  }

  public static async open(dataDir: string, log: (line: string) => void): Promise<ExecutionStore> {
    const directory = join(dataDir, 'stepfunctions');
    await mkdir(join(directory, 'executions'), { recursive: true });
    return new ExecutionStore(directory, await ExecutionStore.#loadSecret(directory), log);
  }

  static async #loadSecret(directory: string): Promise<Buffer> {
    const file = join(directory, 'task-token-secret');
    try {
      return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const secret = randomBytes(32);
    await writeFileAtomic(file, secret.toString('hex'));
    return secret;
  }

  public fileOf(executionArn: string): string {
    return join(this.directory, 'executions', `${executionId(executionArn)}.json`);
  }

  /** Every execution on disk; leftovers of interrupted writes are removed. */
  public async loadAll(): Promise<ExecutionDocument[]> {
    const folder = join(this.directory, 'executions');
    const documents: ExecutionDocument[] = [];
    for (const entry of await readdir(folder)) {
      const file = join(folder, entry);
      if (entry.endsWith('.tmp')) {
        await unlink(file).catch(() => {});
        continue;
      }
      if (!entry.endsWith('.json')) continue;
      try {
        const document = JSON.parse(await readFile(file, 'utf8')) as ExecutionDocument;
        if (document.version === 1 && typeof document.record?.executionArn === 'string') {
          documents.push(document);
        } else {
          this.#log(`[sfn] ignoring ${file}: not an execution document`);
        }
      } catch (error) {
        this.#log(`[sfn] ignoring ${file}: ${(error as Error).message}`);
      }
    }
    return documents;
  }

  /** Persists the document as it is when the write starts. */
  public save(document: ExecutionDocument): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const file = this.fileOf(document.record.executionArn);
    let slot = this.#slots.get(file);
    if (!slot) {
      slot = { tail: Promise.resolve(), queued: undefined };
      this.#slots.set(file, slot);
    }
    if (slot.queued) return slot.queued;
    const current = slot;
    const write = current.tail.then(async () => {
      current.queued = undefined;
      if (this.#closed) return;
      await writeFileAtomic(file, JSON.stringify(document));
    });
    current.queued = write;
    current.tail = write.catch((error: unknown) => {
      this.#log(`[sfn] could not save ${file}: ${(error as Error).message}`);
    });
    return write;
  }

  /** Lets every save made so far land, then drops later ones. */
  public async close(): Promise<void> {
    let tails: Promise<void>[] = [];
    do {
      tails = [...this.#slots.values()].map((slot) => slot.tail);
      await Promise.all(tails);
    } while ([...this.#slots.values()].some((slot, index) => slot.tail !== tails[index]));
    this.#closed = true;
  }
}
