/**
 * One SQLite connection shared by every request, with transactions whose bodies await
 * (docs/decisions/026). An `await` inside an open transaction lets other requests run; a statement
 * of theirs on the same connection would run inside our transaction — see its uncommitted rows,
 * and be lost if it rolls back. So the connection is handed out behind a guard that looks at every
 * statement as it runs (better-sqlite3 runs them synchronously, so the async context at that
 * moment is the caller's):
 * - no transaction of ours open, or the statement belongs to the open one: it runs on the connection;
 * - another request reads while one is open: the read runs on a second, read-only connection of the
 *   same file, which sees the last committed state (what it would have seen a moment earlier);
 * - another request writes while one is open: refused with an error. Writes go through
 *   `inTransaction`, which waits its turn; a bare write outside one is a bug this makes loud.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import Database from "better-sqlite3";

/** The transaction an async chain is inside: its connection's guard and the savepoint depth. */
export type TransactionContext = { guard: ConnectionGuard; depth: number };

const context = new AsyncLocalStorage<TransactionContext>();

/** The transaction the current async chain runs inside, if any. */
export function currentTransaction(): TransactionContext | undefined {
  return context.getStore();
}

/** Runs `body` as part of the given transaction (statements it makes belong to it). */
export function runInTransaction<T>(transaction: TransactionContext, body: () => Promise<T>): Promise<T> {
  return context.run(transaction, body);
}

type StatementMode = { raw?: boolean; pluck?: boolean; expand?: boolean; safeIntegers?: boolean };

export class ConnectionGuard {
  /** The top-level transaction open on the connection, or null. */
  open: TransactionContext | null = null;
  private queue: Promise<void> = Promise.resolve();
  private reader: Database.Database | null = null;
  private readonly readerStatements = new Map<string, Database.Statement>();

  constructor(
    readonly sqlite: Database.Database,
    private readonly openReader: () => Database.Database | null,
  ) {}

  /** Waits until no other transaction holds the connection; the returned function gives it back. */
  async acquire(): Promise<() => void> {
    let release = () => {};
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.queue;
    this.queue = previous.then(() => turn);
    await previous;
    return release;
  }

  /** The statement to run now: the connection's own, or its twin on the read-only connection. */
  choose(statement: Database.Statement, mode: StatementMode): Database.Statement {
    const open = this.open;
    if (open === null) return statement;
    if (context.getStore()?.guard === this) return statement;
    if (!statement.readonly) {
      throw new Error(`a write ran outside inTransaction while a transaction was open: ${statement.source.slice(0, 80)}`);
    }
    return this.twin(statement, mode) ?? statement;
  }

  private twin(statement: Database.Statement, mode: StatementMode): Database.Statement | null {
    this.reader ??= this.openReader();
    if (this.reader === null) return null; // an in-memory database: no other connection can see it
    let twin = this.readerStatements.get(statement.source);
    if (!twin) {
      try {
        twin = this.reader.prepare(statement.source);
      } catch {
        // A statement on a temporary table only the main connection has: it reads that table alone.
        return null;
      }
      this.readerStatements.set(statement.source, twin);
    }
    twin.raw(mode.raw ?? false);
    if (!mode.raw) twin.pluck(mode.pluck ?? false);
    twin.expand(mode.expand ?? false);
    twin.safeIntegers(mode.safeIntegers ?? false);
    return twin;
  }

  close(): void {
    this.reader?.close();
    this.reader = null;
    this.readerStatements.clear();
  }
}

const RUNS = new Set(["run", "get", "all", "iterate"]);
const MODES = new Set(["raw", "pluck", "expand", "safeIntegers"]);

function guardStatement(guard: ConnectionGuard, statement: Database.Statement): Database.Statement {
  const mode: StatementMode = {};
  // The wrapped methods, made once per statement: the hot paths run the same statements thousands of times.
  const wrapped = new Map<string, unknown>();
  for (const name of RUNS) {
    wrapped.set(name, (...params: unknown[]) => {
      const chosen = guard.choose(statement, mode);
      return Reflect.apply(Reflect.get(chosen, name), chosen, params);
    });
  }
  const guarded: Database.Statement = new Proxy(statement, {
    get(target, property) {
      if (typeof property === "string") {
        const run = wrapped.get(property);
        if (run) return run;
        if (MODES.has(property)) {
          return (toggle?: boolean) => {
            const on = toggle ?? true;
            Reflect.set(mode, property, on);
            // raw and pluck exclude each other in better-sqlite3: turning one on turns the other off.
            if (on && property === "raw") mode.pluck = false;
            if (on && property === "pluck") mode.raw = false;
            Reflect.apply(Reflect.get(target, property), target, [on]);
            return guarded;
          };
        }
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return guarded;
}

const guards = new WeakMap<Database.Database, ConnectionGuard>();

/**
 * The connection behind a guard: every statement prepared through it is checked as it runs.
 * `openReader` opens the read-only twin when first needed (null for an in-memory database).
 */
export function guardConnection(sqlite: Database.Database, openReader: () => Database.Database | null): Database.Database {
  const guard = new ConnectionGuard(sqlite, openReader);
  const guarded = new Proxy(sqlite, {
    get(target, property) {
      if (property === "prepare") return (source: string) => guardStatement(guard, target.prepare(source));
      if (property === "close") {
        return () => {
          guard.close();
          return target.close();
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  guards.set(guarded, guard);
  return guarded;
}

/** The guard of a connection made by guardConnection. */
export function guardOf(sqlite: Database.Database): ConnectionGuard {
  const guard = guards.get(sqlite);
  if (!guard) throw new Error("this connection was not opened by openDatabase");
  return guard;
}
