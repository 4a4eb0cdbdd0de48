import { describe, expect, it } from "vitest";
import { isTrackingNumber, makeTrackingNumber, nextShipmentState, s10CheckDigit } from "./postal";

describe("S10 tracking numbers", () => {
  it("computes the UPU check digit (UPU S10 example AA 47312482 9 GB)", () => {
    // 4·8 + 7·6 + 3·4 + 1·2 + 2·3 + 4·5 + 8·9 + 2·7 = 200; 200 mod 11 = 2; 11 − 2 = 9.
    expect(s10CheckDigit("47312482")).toBe(9);
    expect(s10CheckDigit("00000000")).toBe(5); // sum 0 → 11 → 5
    expect(makeTrackingNumber("12345678")).toMatch(/^EB12345678\dVN$/);
  });
  it("recognises valid numbers and rejects a wrong check digit", () => {
    const n = makeTrackingNumber("47326523");
    expect(isTrackingNumber(n)).toBe(true);
    expect(isTrackingNumber(n.replace(/\dVN$/, (m) => `${(Number(m[0]) + 1) % 10}VN`))).toBe(false);
    expect(isTrackingNumber("EB123VN")).toBe(false);
  });
});

describe("shipment states", () => {
  it("advance created → picked up → in transit → delivered, or back to the sender", () => {
    expect(nextShipmentState("created")).toBe("picked_up");
    expect(nextShipmentState("picked_up")).toBe("in_transit");
    expect(nextShipmentState("in_transit")).toBe("delivered");
    expect(nextShipmentState("in_transit", true)).toBe("returned_to_sender");
    expect(nextShipmentState("delivered")).toBeNull();
  });
});
