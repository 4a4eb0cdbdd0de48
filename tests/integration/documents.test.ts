import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { db } from "../../app/server/platform/db.server";
import * as template from "../../app/routes/procedures.$code_.templates.$slug";
import { get } from "./helpers";

describe("form templates (level ≥ 2)", () => {
  it("downloads a template as a PDF with its Vietnamese text, and counts the download", async () => {
    const [procedure] = await db().select().from(schema.procedures).where(eq(schema.procedures.level, 2)).orderBy(schema.procedures.id).limit(1);
    const details = procedure?.details;
    const slug = details && typeof details === "object" && "templates" in details && Array.isArray(details.templates) ? String(details.templates[0]?.slug) : "";
    const response = await template.loader({
      request: get(`/procedures/${procedure?.code}/templates/${slug}`),
      params: { code: procedure?.code ?? "", slug },
      context: {},
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    expect(bytes.length).toBeGreaterThan(2000);
    const downloads = await db()
      .select()
      .from(schema.dossierEvents)
      .where(eq(schema.dossierEvents.type, "template_downloaded"))
      .orderBy(schema.dossierEvents.id);
    expect(downloads.at(-1)).toMatchObject({ procedureId: procedure?.id, data: { template: slug } });
  });

  it("answers 404 for an unknown template or a level-1 procedure", async () => {
    const [level1] = await db().select().from(schema.procedures).where(eq(schema.procedures.level, 1)).orderBy(schema.procedures.id).limit(1);
    const call = (code: string, slug: string) =>
      template.loader({ request: get(`/procedures/${code}/templates/${slug}`), params: { code, slug }, context: {} }).catch((e: unknown) => e);
    const unknown = await call("1.001193", "no-such-template");
    const level1Res = await call(level1?.code ?? "", "anything");
    expect(unknown instanceof Response && unknown.status).toBe(404);
    expect(level1Res instanceof Response && level1Res.status).toBe(404);
  });
});
