import { describe, expect, it } from "vitest";
import { readForm, requireFormData } from "./upload.server";

/** A NUL character in a form (no one can type it; PostgreSQL refuses it in text and jsonb) is a malformed post, on every action alike. */
describe("a form holding a NUL character", () => {
  const post = (body: BodyInit, type: string) =>
    new Request("http://localhost/procedures/1.001193/apply", { method: "POST", body, headers: { "Content-Type": type } });

  it("is malformed when read with its files, urlencoded or multipart, in a value or a file name", async () => {
    expect(await readForm(post("applicant_name=An%00h", "application/x-www-form-urlencoded"))).toEqual({ error: "malformed" });
    const withValue = new FormData();
    withValue.append("applicant_name", "An\u0000h");
    const multipart = new Response(withValue);
    expect(await readForm(post(await multipart.arrayBuffer(), multipart.headers.get("content-type") ?? ""))).toEqual({ error: "malformed" });
    // The same post without the NUL is read as sent.
    const clean = await readForm(post("applicant_name=Anh", "application/x-www-form-urlencoded"));
    expect("form" in clean && clean.form.get("applicant_name")).toBe("Anh");
  });

  it("is a 400 with a message for a plain form action", async () => {
    const refused = await requireFormData(post("note=a%00b", "application/x-www-form-urlencoded")).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(Response);
    if (!(refused instanceof Response)) return;
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/NUL/);
    expect((await requireFormData(post("note=ab", "application/x-www-form-urlencoded"))).get("note")).toBe("ab");
  });
});
