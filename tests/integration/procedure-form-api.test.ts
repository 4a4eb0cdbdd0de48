// GET /api/v1/procedures/:code/form (issue 16): the published form as the portal applies it — the
// one the apply page uses, with its rules — public and cacheable; 404 for a procedure not online.
import { describe, expect, it } from "vitest";
import { FormDefinitionSchema } from "../../app/core/forms/definition";
import { dossierFee } from "../../app/core/payments/fees";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { found } from "../../app/server/platform/http.server";
import * as formRoute from "../../app/routes/api.v1.procedures_.$code.form";
import { get } from "./helpers";

async function answer(code: string): Promise<Response> {
  try {
    const value: unknown = await formRoute.loader({ request: get(`/api/v1/procedures/${code}/form`), params: { code }, context: {} });
    if (value instanceof Response) return value;
    throw new Error("not a Response");
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("the published form over the API", () => {
  it("is the definition the apply page uses, rules and fee included, cacheable by anyone", async () => {
    const res = await answer("3.000333");
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=60");
    const body: unknown = await res.json();
    const { form } = found(await onlineProcedure("3.000333"));
    expect(body).toEqual({ code: "3.000333", version: form.version, definition: JSON.parse(JSON.stringify(form.definition)) });
    // What an integrator reads is enough to compute what a citizen will be charged.
    const definition = FormDefinitionSchema.parse(Reflect.get(Object(body), "definition"));
    expect(dossierFee({ procedureFeeVnd: 200_000, rule: definition.fee, answers: { copies: 4 } })).toEqual({ ok: true, feeVnd: 210_000 });
  });

  it("answers 404 for a procedure with no online form and for one that does not exist", async () => {
    // 1.010738 is a level-2 procedure: information and forms to download, no online form.
    expect((await answer("1.010738")).status).toBe(404);
    expect((await answer("9.999999")).status).toBe(404);
    expect((await answer("../../etc")).status).toBe(404);
  });
});
