import { describe, expect, it } from "vitest";
import { nearestOneStop, oneStopView, pathIds, telHref, type AgencyOneStopRow } from "./one-stop";

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

const city = agency(0, "Thành phố Hà Nội", {
  oneStopAddress: "1 Đinh Tiên Hoàng, Hà Nội",
  oneStopHoursVi: "Sáng 8:00–12:00",
  oneStopHoursEn: "Mornings 8:00–12:00",
  oneStopPhone: "024 3825 3536",
});
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
    expect(office).toEqual(
      expect.objectContaining({
        inherited: true,
        address: "1 Đinh Tiên Hoàng, Hà Nội",
        phone: "024 3825 3536",
        hours: { vi: "Sáng 8:00–12:00", en: "Mornings 8:00–12:00" },
      }),
    );
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

describe("oneStopView", () => {
  it("resolves an inherited office for an English page: English names, the Vietnamese address and untranslated hours marked lang vi", () => {
    const office = nearestOneStop([ward, { ...police, nameEn: "Hanoi City Police" }]);
    expect(oneStopView(office, { nameVi: "Công an phường Hoàn Kiếm", nameEn: "Hoan Kiem Ward Police" }, "en")).toEqual({
      own: { text: "Hoan Kiem Ward Police", lang: undefined },
      owner: { text: "Hanoi City Police", lang: undefined },
      inherited: true,
      address: { text: "87 Trần Hưng Đạo, Hà Nội", lang: "vi" },
      hours: { text: "Sáng 7:30–11:30", lang: "vi" },
      phone: null,
    });
  });

  it("is null when there is no office, and gives a dialable phone in Vietnamese", () => {
    expect(oneStopView(null, { nameVi: "X", nameEn: null }, "vi")).toBeNull();
    expect(oneStopView(nearestOneStop([city]), { nameVi: "Thành phố Hà Nội", nameEn: null }, "vi")).toEqual(
      expect.objectContaining({
        address: { text: "1 Đinh Tiên Hoàng, Hà Nội", lang: undefined },
        hours: { text: "Sáng 8:00–12:00", lang: undefined },
        phone: { text: "024 3825 3536", href: "tel:+842438253536" },
      }),
    );
  });
});
