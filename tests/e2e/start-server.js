// Starts the built portal for the end-to-end run on a brand-new database and storage folder.
import { rmSync } from "node:fs";
import path from "node:path";

const dir = path.resolve("test-results/e2e-data");
rmSync(dir, { recursive: true, force: true });
// The production build with the payment gateway and post office simulators, which a production
// server refuses (issue 11): NODE_ENV=test, which server.js treats as production for headers and
// error pages, and which allows SIMULATORS=on (the session cookie is not marked Secure).
process.env.NODE_ENV = "test";
process.env.SIMULATORS = "on";
process.env.DATABASE_PATH = path.join(dir, "portal.db");
process.env.STORAGE_DIR = path.join(dir, "storage");
process.env.SESSION_SECRET = "e2e-only-secret-that-is-long-enough-0123456789";
process.env.PAYMENT_TMN_CODE = "E2ETEST1";
process.env.PAYMENT_HASH_SECRET = "e2e-only-payment-hash-secret-0123456789";
process.env.RESULT_SIGNING_SECRET = "e2e-only-result-signing-secret-0123456789";
process.env.TWO_FACTOR_KEY = "e2e-only-two-factor-key-0123456789abcdef";
process.env.LOG_REQUESTS = "false";
// The VNeID simulator's own store, fresh with the database.
process.env.VNEID_SIM_DB = path.join(dir, "vneid-sim.db");
await import("../../server.js");
