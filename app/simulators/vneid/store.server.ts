import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Adapter, AdapterPayload } from "oidc-provider";

/**
 * The VNeID simulator's own store: a SQLite file apart from the portal's database (VNEID_SIM_DB),
 * because it stands for another organisation's system — the portal's backups, copies to PostgreSQL
 * and table counts never carry it, and deleting it only signs everyone out of the simulator. It
 * holds what oidc-provider keeps between requests (sessions, interactions, codes, grants: one row
 * per model instance, as its adapter interface asks) and the simulator's signing key. Several
 * processes on one machine share the file (WAL); the population is generated, not stored.
 */
export class SimulatorStore {
  readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(`
      create table if not exists oidc_models (
        model text not null,
        id text not null,
        payload text not null,
        grant_id text,
        user_code text,
        uid text,
        consumed_at integer,
        expires_at integer,
        primary key (model, id)
      );
      create index if not exists oidc_models_grant_idx on oidc_models (grant_id);
      create index if not exists oidc_models_uid_idx on oidc_models (model, uid);
      create table if not exists signing_keys (id integer primary key, jwk text not null);
    `);
  }

  /** The simulator's private signing key (a JWK), made once and kept so tokens survive a restart. */
  signingKey(make: () => object): object {
    const row: unknown = this.db.prepare("select jwk from signing_keys where id = 1").get();
    if (row && typeof row === "object" && "jwk" in row && typeof row.jwk === "string") return JSON.parse(row.jwk) as object;
    // Two processes starting together: the first insert wins and both read it back.
    this.db.prepare("insert or ignore into signing_keys (id, jwk) values (1, ?)").run(JSON.stringify(make()));
    return this.signingKey(make);
  }

  /** oidc-provider's adapter for one model name (Session, Interaction, AuthorizationCode, Grant…). */
  adapterFor(model: string): Adapter {
    const db = this.db;
    const now = () => Date.now();
    const read = (row: unknown): AdapterPayload | undefined => {
      if (!row || typeof row !== "object" || !("payload" in row) || typeof row.payload !== "string") return undefined;
      const expiresAt = "expires_at" in row && typeof row.expires_at === "number" ? row.expires_at : null;
      if (expiresAt !== null && expiresAt <= now()) return undefined;
      const payload = JSON.parse(row.payload) as AdapterPayload;
      const consumedAt = "consumed_at" in row && typeof row.consumed_at === "number" ? row.consumed_at : null;
      return consumedAt === null ? payload : { ...payload, consumed: Math.floor(consumedAt / 1000) };
    };
    const upsert = db.prepare(
      `insert into oidc_models (model, id, payload, grant_id, user_code, uid, expires_at) values (?, ?, ?, ?, ?, ?, ?)
       on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id, user_code = excluded.user_code,
       uid = excluded.uid, expires_at = excluded.expires_at`,
    );
    const byId = db.prepare("select payload, consumed_at, expires_at from oidc_models where model = ? and id = ?");
    const byUid = db.prepare("select payload, consumed_at, expires_at from oidc_models where model = ? and uid = ?");
    const byUserCode = db.prepare("select payload, consumed_at, expires_at from oidc_models where model = ? and user_code = ?");
    // Only the first consumer of a code sees it unconsumed: the provider checks `consumed` on every find.
    const consume = db.prepare("update oidc_models set consumed_at = ? where model = ? and id = ? and consumed_at is null");
    const destroy = db.prepare("delete from oidc_models where model = ? and id = ?");
    const revoke = db.prepare("delete from oidc_models where grant_id = ?");
    const sweep = db.prepare("delete from oidc_models where expires_at is not null and expires_at < ?");
    return {
      async upsert(id, payload, expiresIn) {
        if (Math.random() < 0.01) sweep.run(now());
        upsert.run(
          model,
          id,
          JSON.stringify(payload),
          payload.grantId ?? null,
          payload.userCode ?? null,
          payload.uid ?? null,
          expiresIn ? now() + expiresIn * 1000 : null,
        );
      },
      async find(id) {
        return read(byId.get(model, id));
      },
      async findByUid(uid) {
        return read(byUid.get(model, uid));
      },
      async findByUserCode(userCode) {
        return read(byUserCode.get(model, userCode));
      },
      async consume(id) {
        consume.run(now(), model, id);
      },
      async destroy(id) {
        destroy.run(model, id);
      },
      async revokeByGrantId(grantId) {
        revoke.run(grantId);
      },
    };
  }
}
