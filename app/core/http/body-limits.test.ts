import { describe, expect, it } from "vitest";
import { FieldSchema } from "../forms/definition";
import { bodyKind, FORM_BYTES, formPolicy, maxBodyBytes, MULTIPART_OVERHEAD_BYTES, PLAIN_POLICY, routePath, uploadRouteOf } from "./body-limits";

const MiB = 1024 * 1024;
const field = (input: unknown) => FieldSchema.parse(input);
const label = { vi: "Nhãn" };

describe("body limits", () => {
  it("gives a plain form post 64 KiB and no files", () => {
    expect(maxBodyBytes(PLAIN_POLICY, "other")).toBe(64 * 1024);
    expect(maxBodyBytes(PLAIN_POLICY, "multipart")).toBe(64 * 1024 + MULTIPART_OVERHEAD_BYTES);
  });

  it("gives a procedure's form its own files at their limits, plus one file over its limit, and room for every text field filled in Vietnamese", () => {
    const policy = formPolicy([
      field({ type: "text", name: "ho_ten", label, maxLength: 100 }),
      field({ type: "textarea", name: "noi_dung", label, maxLength: 5000 }),
      field({ type: "file", name: "giay_a", label, maxSizeMb: 5 }),
      field({ type: "file", name: "giay_b", label, maxSizeMb: 2 }),
    ]);
    expect(policy.files).toEqual({ giay_a: 5 * MiB, giay_b: 2 * MiB });
    // 5,100 characters, each up to 9 bytes percent-encoded ("ấ" → "%E1%BA%A5").
    expect(policy.textBytes).toBeGreaterThanOrEqual(5100 * 9);
    expect(maxBodyBytes(policy, "multipart")).toBe(policy.textBytes + MULTIPART_OVERHEAD_BYTES + 7 * MiB + 5 * MiB);
    expect(maxBodyBytes(policy, "other")).toBe(policy.textBytes);
    expect(formPolicy([field({ type: "text", name: "a", label })]).textBytes).toBe(FORM_BYTES);
  });

  it("tells multipart from anything else by the Content-Type", () => {
    expect(bodyKind("multipart/form-data; boundary=----x")).toBe("multipart");
    expect(bodyKind("Multipart/Form-Data;boundary=x")).toBe("multipart");
    expect(bodyKind("application/x-www-form-urlencoded")).toBe("other");
    expect(bodyKind("multipart/form-data")).toBe("other"); // no boundary: not a body anyone can parse
    expect(bodyKind(undefined)).toBe("other");
  });

  it("finds the routes that take files, with or without single fetch's .data suffix", () => {
    expect(routePath("/procedures/1.001193/apply.data")).toBe("/procedures/1.001193/apply");
    expect(routePath("/_root.data")).toBe("/");
    expect(uploadRouteOf("/procedures/1.001193/apply", "")).toEqual({ kind: "apply", procedureCode: "1.001193" });
    expect(uploadRouteOf("/procedures/1.001193/apply.data", "?index")).toEqual({ kind: "apply", procedureCode: "1.001193" });
    expect(uploadRouteOf("/applications/261205-J9827Z-A/supplement", "")).toEqual({ kind: "supplement", receiptCode: "261205-J9827Z-A" });
    expect(uploadRouteOf("/officer/intake/form", "?procedure=1.000894")).toEqual({ kind: "intake", procedureCode: "1.000894" });
    expect(uploadRouteOf("/verify", "")).toEqual({ kind: "verify" });
    expect(uploadRouteOf("/admin/statistics/reported", "")).toEqual({ kind: "reported" });
    expect(uploadRouteOf("/officer/dossiers/261205-J9827Z-A/issue-result", "")).toEqual({ kind: "result" });
    expect(uploadRouteOf("/admin/forms/1.001193/preview", "")).toEqual({ kind: "form-preview", procedureCode: "1.001193" });
    expect(uploadRouteOf("/admin/forms/1.001193/preview/no-script", "")).toEqual({ kind: "form-preview", procedureCode: "1.001193" });
    expect(uploadRouteOf("/admin/forms/1.001193", "")).toBeNull();
    expect(uploadRouteOf("/officer/dossiers/261205-J9827Z-A/issue-result.data", "")).toEqual({ kind: "result" });
    expect(uploadRouteOf("/officer/dossiers/261205-J9827Z-A/refuse", "")).toBeNull();
    expect(uploadRouteOf("/track", "")).toBeNull();
    expect(uploadRouteOf("/procedures/%E0%A4%A/apply", "")).toEqual({ kind: "apply", procedureCode: "" });
  });
});
