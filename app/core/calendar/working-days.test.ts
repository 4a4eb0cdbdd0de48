import { describe, expect, it } from "vitest";
import holidays from "./vn-holidays.json";
import { addWorkingDays, appointmentDate, createCalendar, nextWorkingDay, vnDate, vnTime, workingDaysBetween, type HolidayData } from "./working-days";

const cal = createCalendar();
/** An instant given as Vietnam wall-clock time. */
const vn = (local: string) => new Date(`${local}+07:00`);

describe("holiday data", () => {
  it("grants exactly the 11 statutory days a year (swapped days cancel out)", () => {
    // Labour Code 2019 art. 112: 1 + 5 + 1 + 2 + 2. Update when 24/11 becomes a holiday.
    for (const year of holidays.years) {
      const off = holidays.daysOff.filter((d) => d.date.startsWith(`${year}-`)).length;
      const worked = holidays.workingSaturdays.filter((d) => d.date.startsWith(`${year}-`)).length;
      expect(off - worked, String(year)).toBe(11);
    }
  });

  it("marks every 2027 date provisional and no announced one", () => {
    for (const d of holidays.daysOff) expect(d.provisional === true, d.date).toBe(d.date.startsWith("2027-"));
  });

  it("rejects malformed data", () => {
    const base: HolidayData = { timeZone: "Asia/Ho_Chi_Minh", years: [2030], daysOff: [], workingSaturdays: [] };
    const reason = { vi: "x", en: "x" };
    expect(() => createCalendar({ ...base, workingSaturdays: [{ date: "2030-01-04", reason }] })).toThrow(/not a Saturday/);
    expect(() => createCalendar({ ...base, daysOff: [{ date: "2031-01-01", name: reason }] })).toThrow(/outside the listed years/);
    expect(() => createCalendar({ ...base, daysOff: [{ date: "2030-02-30", name: reason }] })).toThrow(/YYYY-MM-DD/);
    expect(createCalendar(base).isWorkingDay("2030-01-01")).toBe(true);
  });
});

describe("calendar", () => {
  it("skips weekends", () => {
    expect(cal.isWorkingDay("2025-06-06")).toBe(true); // Friday
    expect(cal.isDayOff("2025-06-07")).toBe(true); // Saturday
    expect(cal.isDayOff("2025-06-08")).toBe(true); // Sunday
    expect(addWorkingDays(cal, "2025-06-06", 1)).toBe("2025-06-09");
    expect(addWorkingDays(cal, "2025-06-06", 5)).toBe("2025-06-13");
    expect(nextWorkingDay(cal, "2025-06-07")).toBe("2025-06-09");
  });

  it("n = 0 keeps a working day and moves a day off forward", () => {
    expect(addWorkingDays(cal, "2025-06-06", 0)).toBe("2025-06-06");
    expect(addWorkingDays(cal, "2025-06-07", 0)).toBe("2025-06-09");
    expect(() => addWorkingDays(cal, "2025-06-06", -1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, "2025-06-06", 1.5)).toThrow(RangeError);
  });

  it("knows the Hùng Kings days, including the 2026 compensatory Monday", () => {
    expect(cal.isDayOff("2025-04-07")).toBe(true);
    expect(cal.isDayOff("2026-04-27")).toBe(true);
    expect(addWorkingDays(cal, "2026-04-24", 1)).toBe("2026-04-28");
  });

  it("handles 30/4–1/5 2025 and the working Saturday 26 Apr 2025", () => {
    expect(cal.isWorkingDay("2025-04-26")).toBe(true);
    for (const d of ["2025-04-30", "2025-05-01", "2025-05-02"]) expect(cal.isDayOff(d), d).toBe(true);
    expect(addWorkingDays(cal, "2025-04-25", 1)).toBe("2025-04-26");
    // Tue 29 Apr → Wed 30 … Sun 4 May are all off.
    expect(addWorkingDays(cal, "2025-04-29", 1)).toBe("2025-05-05");
  });

  it("crosses the year boundary over New Year 2026 (Fri 2 Jan swapped for Sat 10 Jan)", () => {
    // Wed 31 Dec 2025; Thu 1 and Fri 2 Jan off; weekend; Mon 5 is the 1st, Tue 6 the 2nd.
    expect(addWorkingDays(cal, "2025-12-31", 2)).toBe("2026-01-06");
    expect(cal.isWorkingDay("2026-01-10")).toBe(true);
    expect(addWorkingDays(cal, "2026-01-09", 1)).toBe("2026-01-10");
  });
});

describe("appointmentDate", () => {
  it("skips the whole Tết 2026 break", () => {
    // Received Fri 13 Feb; 14–22 Feb off; Mon 23, Tue 24, Wed 25.
    expect(appointmentDate(cal, vn("2026-02-13T10:00"), 3)).toBe("2026-02-25");
  });

  it("counts the 2025 working Saturday", () => {
    // Received Thu 24 Apr; Fri 25 is the 1st, Sat 26 the 2nd.
    expect(appointmentDate(cal, vn("2025-04-24T09:00"), 2)).toBe("2025-04-26");
  });

  it("receives a submission at or after 17:00 on the next working day", () => {
    // Mon 2 Mar 2026.
    expect(appointmentDate(cal, vn("2026-03-02T16:59"), 0)).toBe("2026-03-02");
    expect(appointmentDate(cal, vn("2026-03-02T16:59"), 1)).toBe("2026-03-03");
    expect(appointmentDate(cal, vn("2026-03-02T17:00"), 0)).toBe("2026-03-03");
    expect(appointmentDate(cal, vn("2026-03-02T17:00"), 1)).toBe("2026-03-04");
  });

  it("receives a Sunday or holiday submission on the next working day", () => {
    expect(appointmentDate(cal, vn("2026-03-01T10:00"), 0)).toBe("2026-03-02");
    expect(appointmentDate(cal, vn("2026-03-01T10:00"), 1)).toBe("2026-03-03");
    // Tết morning: received Mon 23 Feb, due Tue 24.
    expect(appointmentDate(cal, vn("2026-02-17T08:00"), 1)).toBe("2026-02-24");
  });

  it("uses Vietnam's date, not UTC's", () => {
    // 16:59Z on Mon 2 Mar is 23:59 in Vietnam: after the cut-off, received Tue 3.
    expect(vnTime(new Date("2026-03-02T16:59:00Z"))).toEqual({ date: "2026-03-02", minutes: 23 * 60 + 59 });
    expect(vnTime(new Date("2026-03-02T17:00:00Z"))).toEqual({ date: "2026-03-03", minutes: 0 });
    expect(vnTime(new Date("2026-03-02T09:59:59Z"))).toEqual({ date: "2026-03-02", minutes: 16 * 60 + 59 });
    expect(vnDate(new Date("2025-12-31T17:00:00Z"))).toBe("2026-01-01");
    expect(appointmentDate(cal, new Date("2026-03-02T16:59:00Z"), 1)).toBe("2026-03-04");
    expect(appointmentDate(cal, new Date("2026-03-02T09:59:00Z"), 1)).toBe("2026-03-03");
  });
});

describe("workingDaysBetween", () => {
  it("counts working days in (from, to]", () => {
    expect(workingDaysBetween(cal, "2026-02-13", "2026-02-23")).toBe(1);
    expect(workingDaysBetween(cal, "2026-02-23", "2026-02-13")).toBe(-1);
    expect(workingDaysBetween(cal, "2026-02-13", "2026-02-13")).toBe(0);
    expect(workingDaysBetween(cal, "2026-02-15", "2026-02-14")).toBe(0);
    // Sat 22 Aug, Mon 24–Fri 28 Aug, Thu 3 and Fri 4 Sep; 31 Aug–2 Sep off.
    expect(workingDaysBetween(cal, "2026-08-21", "2026-09-04")).toBe(8);
  });

  it("agrees with addWorkingDays", () => {
    const end = addWorkingDays(cal, "2025-12-15", 40);
    expect(workingDaysBetween(cal, "2025-12-15", end)).toBe(40);
  });
});

describe("guards", () => {
  it("rejects malformed dates", () => {
    for (const bad of ["2026-02-30", "2026-2-3", "03/02/2026", ""]) {
      expect(() => cal.isWorkingDay(bad), bad).toThrow(/YYYY-MM-DD/);
    }
    expect(() => vnDate(new Date("nonsense"))).toThrow(/invalid Date/);
  });

  it("throws RangeError outside the covered years", () => {
    expect(() => cal.isWorkingDay("2024-12-31")).toThrow(new RangeError("calendar does not cover 2024"));
    // Thu 30 Dec 2027 → Fri 31 is the 1st, then the walk reaches 2028.
    expect(addWorkingDays(cal, "2027-12-30", 1)).toBe("2027-12-31");
    expect(() => addWorkingDays(cal, "2027-12-30", 3)).toThrow(new RangeError("calendar does not cover 2028"));
    expect(() => workingDaysBetween(cal, "2024-12-31", "2025-01-02")).toThrow(RangeError);
    expect(() => appointmentDate(cal, vn("2028-01-03T09:00"), 1)).toThrow(RangeError);
  });
});
