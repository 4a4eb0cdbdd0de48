import { describe, expect, it } from "vitest";
import { parseEnv, publicUrl, simulatorsOn, vneidIssuer } from "./env.server";

describe("environment", () => {
  it("has safe defaults", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_PATH).toBe("data/portal.db");
  });
  it("honours PORT and DATABASE_PATH", () => {
    const env = parseEnv({ PORT: "8080", DATABASE_PATH: "/tmp/x.db" });
    expect(env.PORT).toBe(8080);
    expect(env.DATABASE_PATH).toBe("/tmp/x.db");
  });
  it("runs on the SQLite file unless DATABASE_URL names a PostgreSQL database", () => {
    expect(parseEnv({}).DATABASE_URL).toBeUndefined();
    expect(parseEnv({ DATABASE_URL: "postgres://portal@db.internal:5432/portal" }).DATABASE_URL).toBe("postgres://portal@db.internal:5432/portal");
    expect(parseEnv({ DATABASE_URL: "postgresql://portal:secret@10.0.0.5/portal?sslmode=require" }).DATABASE_URL).toMatch(/^postgresql:/);
    for (const bad of ["mysql://x/y", "data/portal.db", "postgres://", "postgres://a b/c"]) {
      expect(() => parseEnv({ DATABASE_URL: bad }), bad).toThrow(/DATABASE_URL is a postgres:\/\/ address/);
    }
    expect(parseEnv({}).DATABASE_POOL_SIZE).toBe(10);
    expect(() => parseEnv({ DATABASE_POOL_SIZE: "0" })).toThrow(/DATABASE_POOL_SIZE/);
  });
  it("believes forwarded addresses from a proxy on this machine unless TRUST_PROXY names others", () => {
    expect(parseEnv({}).TRUST_PROXY).toEqual(["loopback"]);
    expect(parseEnv({ TRUST_PROXY: "10.0.0.0/8, 192.168.1.20,loopback" }).TRUST_PROXY).toEqual(["10.0.0.0/8", "192.168.1.20", "loopback"]);
    expect(parseEnv({ TRUST_PROXY: "fd00::/8" }).TRUST_PROXY).toEqual(["fd00::/8"]);
    for (const bad of ["true", "*", "10.0.0.0/33", "10.0.0/8", "nginx.internal", "10.0.0.1/8/1", "", "loopback,"])
      expect(() => parseEnv({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY is a comma-separated list/);
  });
  it("syncs SQLite commits at NORMAL unless SQLITE_SYNCHRONOUS=FULL", () => {
    expect(parseEnv({}).SQLITE_SYNCHRONOUS).toBe("NORMAL");
    expect(parseEnv({ SQLITE_SYNCHRONOUS: "FULL" }).SQLITE_SYNCHRONOUS).toBe("FULL");
    for (const bad of ["OFF", "full", "2"]) expect(() => parseEnv({ SQLITE_SYNCHRONOUS: bad }), bad).toThrow(/SQLITE_SYNCHRONOUS is NORMAL or FULL/);
  });
  it("keeps uploads in files unless STORAGE_BACKEND=database", () => {
    expect(parseEnv({}).STORAGE_BACKEND).toBe("files");
    expect(parseEnv({ STORAGE_BACKEND: "database" }).STORAGE_BACKEND).toBe("database");
    for (const bad of ["s3", "Database", ""]) expect(() => parseEnv({ STORAGE_BACKEND: bad }), bad).toThrow(/STORAGE_BACKEND is files or database/);
  });
  it("refuses a bad port and the development secret in production", () => {
    expect(() => parseEnv({ PORT: "http" })).toThrow(/PORT/);
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET/);
    expect(() => parseEnv({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(40) })).toThrow(/PAYMENT_HASH_SECRET/);
    const production = {
      NODE_ENV: "production",
      SESSION_SECRET: "x".repeat(40),
      PAYMENT_TMN_CODE: "ABCD1234",
      PAYMENT_HASH_SECRET: "y".repeat(40),
      RESULT_SIGNING_SECRET: "z".repeat(40),
      TWO_FACTOR_KEY: "t".repeat(40),
    };
    expect(parseEnv(production).NODE_ENV).toBe("production");
    expect(() => parseEnv({ ...production, PAYMENT_TMN_CODE: "abc" })).toThrow(/PAYMENT_TMN_CODE/);
    const { TWO_FACTOR_KEY: _unset, ...withoutTwoFactorKey } = production;
    expect(() => parseEnv(withoutTwoFactorKey)).toThrow(/TWO_FACTOR_KEY: the development default is refused in production/);
    expect(() => parseEnv({ ...production, TWO_FACTOR_KEY: "short" })).toThrow(/TWO_FACTOR_KEY must be at least 32 characters/);
  });
  it("judges the level-4 share against 30 % unless LEVEL4_TARGET_PERCENT says otherwise", () => {
    expect(parseEnv({}).LEVEL4_TARGET_PERCENT).toBe(30);
    expect(parseEnv({ LEVEL4_TARGET_PERCENT: "35.5" }).LEVEL4_TARGET_PERCENT).toBe(35.5);
    for (const bad of ["abc", "120", "-1", "30.125"]) expect(() => parseEnv({ LEVEL4_TARGET_PERCENT: bad }), bad).toThrow(/LEVEL4_TARGET_PERCENT/);
  });
  it("sends notifications to the sink unless another adapter is named, with links to this server by default", () => {
    expect(parseEnv({}).NOTIFY_ADAPTER).toBe("sink");
    expect(() => parseEnv({ NOTIFY_ADAPTER: "carrier-pigeon" })).toThrow(/NOTIFY_ADAPTER/);
    expect(publicUrl(parseEnv({ PORT: "8080" }))).toBe("http://localhost:8080");
    expect(publicUrl(parseEnv({ PUBLIC_URL: "https://dichvucong.example.vn/" }))).toBe("https://dichvucong.example.vn");
    expect(() => parseEnv({ PUBLIC_URL: "not a url" })).toThrow(/PUBLIC_URL/);
  });
  it("mounts the simulators by default outside production only, and refuses SIMULATORS=on in production", () => {
    const production = {
      NODE_ENV: "production",
      SESSION_SECRET: "x".repeat(40),
      PAYMENT_TMN_CODE: "ABCD1234",
      PAYMENT_HASH_SECRET: "y".repeat(40),
      RESULT_SIGNING_SECRET: "z".repeat(40),
      TWO_FACTOR_KEY: "t".repeat(40),
    };
    expect(simulatorsOn(parseEnv({}))).toBe(true);
    expect(simulatorsOn(parseEnv({ NODE_ENV: "test" }))).toBe(true);
    expect(simulatorsOn(parseEnv({ SIMULATORS: "off" }))).toBe(false);
    expect(simulatorsOn(parseEnv({ NODE_ENV: "test", SIMULATORS: "on" }))).toBe(true);
    expect(simulatorsOn(parseEnv(production))).toBe(false);
    expect(simulatorsOn(parseEnv({ ...production, SIMULATORS: "off" }))).toBe(false);
    expect(() => parseEnv({ ...production, SIMULATORS: "on" })).toThrow(/SIMULATORS: the payment and post simulators are refused in production/);
    for (const bad of ["yes", "ON", "1"]) expect(() => parseEnv({ SIMULATORS: bad }), bad).toThrow(/SIMULATORS is on or off/);
  });

  it("caps submissions per account at 20 a day unless SUBMISSIONS_PER_DAY says otherwise, and refuses a bad value", () => {
    expect(parseEnv({}).SUBMISSIONS_PER_DAY).toBe(20);
    expect(parseEnv({ SUBMISSIONS_PER_DAY: "1000000" }).SUBMISSIONS_PER_DAY).toBe(1_000_000);
    for (const bad of ["0", "-1", "2.5", "lots"]) expect(() => parseEnv({ SUBMISSIONS_PER_DAY: bad })).toThrow(/SUBMISSIONS_PER_DAY is a whole number/);
  });
  it("signs in with the VNeID simulator where it is mounted, a configured issuer otherwise, and refuses the dev secret or plain HTTP in production", () => {
    const production = {
      NODE_ENV: "production",
      SESSION_SECRET: "x".repeat(40),
      PAYMENT_TMN_CODE: "ABCD1234",
      PAYMENT_HASH_SECRET: "y".repeat(40),
      RESULT_SIGNING_SECRET: "z".repeat(40),
      TWO_FACTOR_KEY: "t".repeat(40),
    };
    expect(vneidIssuer(parseEnv({ PORT: "3240" }))).toBe("http://localhost:3240/vneid-sim");
    expect(vneidIssuer(parseEnv({ SIMULATORS: "off" }))).toBeNull();
    // Production without VNeID needs no VNeID setting at all.
    expect(vneidIssuer(parseEnv(production))).toBeNull();
    const real = { ...production, VNEID_ISSUER: "https://sso.vneid.example/oidc" };
    expect(() => parseEnv(real)).toThrow(/VNEID_CLIENT_SECRET: the development default is refused in production/);
    expect(vneidIssuer(parseEnv({ ...real, VNEID_CLIENT_SECRET: "s".repeat(40) }))).toBe("https://sso.vneid.example/oidc");
    expect(() => parseEnv({ ...real, VNEID_ISSUER: "http://sso.vneid.example/oidc", VNEID_CLIENT_SECRET: "s".repeat(40) })).toThrow(
      /VNEID_ISSUER must be an https:\/\/ address in production/,
    );
    expect(() => parseEnv({ VNEID_CLIENT_SECRET: "short" })).toThrow(/VNEID_CLIENT_SECRET must be at least 32 characters/);
    expect(() => parseEnv({ VNEID_CLIENT_ID: "a b" })).toThrow(/VNEID_CLIENT_ID is 3 to 100/);
    expect(parseEnv({}).CITIZEN_PASSWORD_SIGNIN).toBe("on");
    expect(parseEnv({ CITIZEN_PASSWORD_SIGNIN: "off" }).CITIZEN_PASSWORD_SIGNIN).toBe("off");
    expect(() => parseEnv({ CITIZEN_PASSWORD_SIGNIN: "no" })).toThrow(/CITIZEN_PASSWORD_SIGNIN is on or off/);
  });
});
