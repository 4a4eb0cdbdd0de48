import { describe, expect, it } from "vitest";
import { nearestOneStop, pathIds, telHref, type AgencyOneStopRow } from "./one-stop";

const agency = (depth: number, name: string, details: Partial<AgencyOneStopRow> = {}): AgencyOneStopRow => ({
  depth,
  nameVi: name,
  nameEn: null,
  oneStopAddress: null,
  oneStopHoursVi: null,
  oneStopHoursEn: null,
  oneStopPhone: null,
  ...details,
});

const city = agency(0, "Thành phố Hà Nội", { oneStopAddress: "1 Đinh Tiên Hoàng, Hà Nội", oneStopHoursVi: "Sáng 8:00–12:00", oneStopHoursEn: "Mornings 8:00–12:00", oneStopPhone: "024 3825 3536" });
const police = agency(1, "Công an thành phố Hà Nội", { oneStopAddress: "87 Trần Hưng Đạo, Hà Nội", oneStopHoursVi: "Sáng 7:30–11:30", oneStopPhone: null });
const ward = agency(2, "Công an phường Hoàn Kiếm");

describe("nearestOneStop", () => {
  it("gives the handling agency's own one-stop shop when it is recorded", () => {
    expect(nearestOneStop([city, police])).toEqual({
      agency: { nameVi: "Công an thành phố Hà Nội", nameEn: null },
      inherited: false,
      address: "87 Trần Hưng Đạo, Hà Nội",
      hours: { vi: "Sáng 7:30–11:30" },
      phone: null,
    });
  });

  it("falls back to the nearest ancestor that has an address, whatever the order of the chain", () => {
    const office = nearestOneStop([ward, city, police]);
    expect(office?.inherited).toBe(true);
    expect(office?.agency.nameVi).toBe("Công an thành phố Hà Nội");
    expect(office?.address).toBe("87 Trần Hưng Đạo, Hà Nội");
  });

  it("skips ancestors whose address is blank and reaches the top", () => {
    const office = nearestOneStop([ward, { ...police, oneStopAddress: "  " }, city]);
    expect(office).toEqual(expect.objectContaining({ inherited: true, address: "1 Đinh Tiên Hoàng, Hà Nội", phone: "024 3825 3536", hours: { vi: "Sáng 8:00–12:00", en: "Mornings 8:00–12:00" } }));
  });

  it("is null when no agency up the tree has an address", () => {
    expect(nearestOneStop([ward, agency(0, "Tỉnh X"), agency(1, "Sở Y")])).toBeNull();
    expect(nearestOneStop([])).toBeNull();
  });
});

describe("telHref", () => {
  it("dials Vietnamese numbers from anywhere: the trunk 0 becomes +84", () => {
    expect(telHref("024 3825 3536")).toBe("tel:+842438253536");
    expect(telHref("0222.3822.123")).toBe("tel:+842223822123");
    expect(telHref("(028) 3829-7070")).toBe("tel:+842838297070");
    expect(telHref("+84 24 3825 3536")).toBe("tel:+842438253536");
  });

  it("keeps short service numbers as written and refuses what is not a number", () => {
    expect(telHref("1900 1234")).toBe("tel:19001234");
    expect(telHref("xem website")).toBeNull();
    expect(telHref("024 38")).toBeNull();
  });
});

describe("pathIds", () => {
  it("reads the ids of a materialised path", () => {
    expect(pathIds("/12/40/57/")).toEqual([12, 40, 57]);
    expect(pathIds("/")).toEqual([]);
  });
});
