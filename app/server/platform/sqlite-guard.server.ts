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
import type { Db } from "./db.server";

/**
 * The transaction an async chain is inside: its SQLite connection's guard (null on PostgreSQL),
 * the savepoint depth, and on PostgreSQL the transaction's client (db() hands it out inside).
 */
export type TransactionContext = { guard: ConnectionGuard | null; depth: number; postgres?: Db };

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

/**
 * A statement whose runs are checked by its connection's guard. A class rather than a Proxy: the
 * stores build most queries per call, so one is made for nearly every statement run.
 */
class GuardedStatement implements Database.Statement<unknown[], unknown> {
  private readonly mode: StatementMode = {};

  constructor(
    private readonly guard: ConnectionGuard,
    private readonly statement: Database.Statement,
  ) {}

  get database() {
    return this.statement.database;
  }
  get source() {
    return this.statement.source;
  }
  get reader() {
    return this.statement.reader;
  }
  get readonly() {
    return this.statement.readonly;
  }
  get busy() {
    return this.statement.busy;
  }

  run(...params: unknown[]) {
    return this.guard.choose(this.statement, this.mode).run(...params);
  }
  get(...params: unknown[]) {
    return this.guard.choose(this.statement, this.mode).get(...params);
  }
  all(...params: unknown[]) {
    return this.guard.choose(this.statement, this.mode).all(...params);
  }
  iterate(...params: unknown[]) {
    return this.guard.choose(this.statement, this.mode).iterate(...params);
  }

  raw(toggle = true) {
    this.statement.raw(toggle);
    this.mode.raw = toggle;
    // raw and pluck exclude each other in better-sqlite3: turning one on turns the other off.
    if (toggle) this.mode.pluck = false;
    return this;
  }
  pluck(toggle = true) {
    this.statement.pluck(toggle);
    this.mode.pluck = toggle;
    if (toggle) this.mode.raw = false;
    return this;
  }
  expand(toggle = true) {
    this.statement.expand(toggle);
    this.mode.expand = toggle;
    return this;
  }
  safeIntegers(toggle = true) {
    this.statement.safeIntegers(toggle);
    this.mode.safeIntegers = toggle;
    return this;
  }
  columns() {
    return this.statement.columns();
  }
  bind(): this {
    // Bound parameters would not follow a read to the read-only twin; nothing in the portal binds.
    throw new Error("bind() is not supported on a guarded connection: pass the parameters to run/get/all");
  }
}

const guards = new WeakMap<Database.Database, ConnectionGuard>();

/**
 * The connection behind a guard: every statement prepared through it is checked as it runs.
 * `openReader` opens the read-only twin when first needed (null for an in-memory database).
 */
export function guardConnection(sqlite: Database.Database, openReader: () => Database.Database | null): Database.Database {
  const guard = new ConnectionGuard(sqlite, openReader);
  const own = new Map<PropertyKey, unknown>([
    ["prepare", (source: string) => new GuardedStatement(guard, sqlite.prepare(source))],
    [
      "close",
      () => {
        guard.close();
        return sqlite.close();
      },
    ],
  ]);
  const guarded = new Proxy(sqlite, {
    get(target, property) {
      const found = own.get(property);
      if (found !== undefined) return found;
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      // The connection's other methods (exec, pragma, backup…), bound once.
      const bound: unknown = value.bind(target);
      own.set(property, bound);
      return bound;
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
