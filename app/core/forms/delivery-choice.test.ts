import { describe, expect, it } from "vitest";
import { FormDefinitionSchema } from "./definition";
import { deliveryChoice } from "./delivery-choice";

const option = (value: string, vi: string, deliveryMode?: string) => ({ value, label: { vi }, ...(deliveryMode ? { deliveryMode } : {}) });
const form = (options: ReturnType<typeof option>[]) =>
  FormDefinitionSchema.parse({
    version: 1,
    sections: [
      { title: { vi: "Người yêu cầu" }, fields: [{ name: "applicant_name", type: "text", label: { vi: "Họ và tên" } }] },
      { title: { vi: "Yêu cầu" }, fields: [{ name: "result_format", type: "radio", label: { vi: "Hình thức nhận kết quả" }, options }] },
    ],
  });

describe("the delivery the citizen chose", () => {
  const asks = form([option("dien_tu", "Bản điện tử", "online"), option("buu_chinh", "Qua bưu chính", "post"), option("truc_tiep", "Trực tiếp", "counter")]);

  it("is the form's own answer, exactly as chosen, when the form asks", () => {
    for (const [value, mode] of [
      ["dien_tu", "online"],
      ["buu_chinh", "post"],
      ["truc_tiep", "counter"],
    ] as const) {
      expect(deliveryChoice(asks, { result_format: value }, ["counter", "online", "post"])).toEqual({ kind: "answered", mode, field: "result_format" });
    }
  });

  it("says when the form's answer names a delivery the procedure no longer offers", () => {
    expect(deliveryChoice(asks, { result_format: "buu_chinh" }, ["counter", "online"])).toEqual({ kind: "not_offered", mode: "post", field: "result_format" });
  });

  it("leaves the question to the check-answers page when the form does not ask", () => {
    const plain = form([option("a", "Một"), option("b", "Hai")]);
    expect(deliveryChoice(plain, { result_format: "a" }, ["counter", "post"])).toEqual({ kind: "ask" });
    expect(deliveryChoice(asks, {}, ["counter"])).toEqual({ kind: "ask" });
  });

  it("refuses a definition whose option names an unknown delivery mode", () => {
    expect(() => form([option("x", "X", "pigeon"), option("y", "Y")])).toThrow();
  });
});
