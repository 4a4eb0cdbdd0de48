import { describe, expect, it } from "vitest";
import { deriveLevel, deliversRemotely, MISSING, type LevelFacts } from "./derived-level";

const nothing: LevelFacts = { hasTemplate: false, hasPublishedForm: false, feeVnd: 0, paymentOnline: false, deliveryModes: ["counter"], inPersonStep: null };
const everything: LevelFacts = {
  hasTemplate: true,
  hasPublishedForm: true,
  feeVnd: 200_000,
  paymentOnline: true,
  deliveryModes: ["counter", "online", "post"],
  inPersonStep: null,
};

describe("deriveLevel", () => {
  it("is level 1 with information only, and says a template is what level 2 needs", () => {
    const d = deriveLevel(nothing);
    expect(d.level).toBe(1);
    expect(d.onlineService).toBeNull();
    expect(d.missing.next).toEqual({ level: 2, items: [MISSING.template] });
    expect(d.missing.full).toEqual([MISSING.template, MISSING.publishedForm, MISSING.remoteDelivery]);
  });

  it("is level 2 with a template, 3 with a published form as well", () => {
    expect(deriveLevel({ ...nothing, hasTemplate: true })).toMatchObject({
      level: 2,
      onlineService: null,
      missing: { next: { level: 3, items: [MISSING.publishedForm] } },
    });
    expect(deriveLevel({ ...nothing, hasTemplate: true, hasPublishedForm: true })).toMatchObject({
      level: 3,
      onlineService: "partial",
      missing: { next: { level: 4, items: [MISSING.remoteDelivery] } },
    });
  });

  it("climbs one level at a time: a published form without a template is still level 1", () => {
    const d = deriveLevel({ ...nothing, hasPublishedForm: true, deliveryModes: ["post"] });
    expect(d.level).toBe(1);
    expect(d.missing.full).toEqual([MISSING.template]);
  });

  it("is level 4 and full when the fee is paid online and the result delivered online or by post", () => {
    expect(deriveLevel(everything)).toEqual({ level: 4, onlineService: "full", missing: { next: null, full: [] } });
    expect(deriveLevel({ ...everything, deliveryModes: ["post"] }).level).toBe(4);
    expect(deriveLevel({ ...everything, deliveryModes: ["online"] }).level).toBe(4);
  });

  it("needs no online payment for a free procedure", () => {
    expect(deriveLevel({ ...everything, feeVnd: 0, paymentOnline: false }).level).toBe(4);
  });

  it("stays at level 3 when a fee cannot be paid online, or the result is only handed over at the counter", () => {
    const unpaid = deriveLevel({ ...everything, paymentOnline: false });
    expect(unpaid).toMatchObject({ level: 3, onlineService: "partial", missing: { next: { level: 4, items: [MISSING.paymentOnline] } } });
    const counter = deriveLevel({ ...everything, deliveryModes: ["counter"] });
    expect(counter.missing.next).toEqual({ level: 4, items: [MISSING.remoteDelivery] });
    expect(deriveLevel({ ...everything, paymentOnline: false, deliveryModes: ["counter"] }).missing.next?.items).toEqual([
      MISSING.paymentOnline,
      MISSING.remoteDelivery,
    ]);
  });

  it("makes a level-4 service partial when a step must be done in person, and says so", () => {
    const d = deriveLevel({ ...everything, inPersonStep: "Hai bên nam, nữ có mặt" });
    expect(d).toEqual({ level: 4, onlineService: "partial", missing: { next: null, full: [MISSING.inPersonStep] } });
    // A blank step is no step.
    expect(deriveLevel({ ...everything, inPersonStep: "  " }).onlineService).toBe("full");
  });

  it("does not raise a level for an in-person step, nor for payment and delivery below level 3", () => {
    expect(deriveLevel({ ...nothing, hasTemplate: true, paymentOnline: true, deliveryModes: ["online"] }).level).toBe(2);
  });
});

describe("deliversRemotely", () => {
  it("is true for an electronic result or a parcel, not for the counter alone", () => {
    expect(deliversRemotely(["counter"])).toBe(false);
    expect(deliversRemotely([])).toBe(false);
    expect(deliversRemotely(["counter", "post"])).toBe(true);
    expect(deliversRemotely(["online"])).toBe(true);
  });
});
