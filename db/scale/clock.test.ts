import { describe, expect, it } from "vitest";
import { addWorkingDays, appointmentDate, createCalendar, vnTime } from "../../app/core/calendar/working-days";
import { dayNumber, dayString, vnDayOf, vnMidnight, WorkCalendar } from "./clock";
import { Random } from "./random";

const cal = createCalendar();
const first = dayNumber("2025-01-01");
const clock = new WorkCalendar(first, dayNumber("2027-10-31"));

describe("WorkCalendar (the generator's fast calendar)", () => {
  it("gives the app's appointment date for any instant, across the 17:00 cut-off, weekends and Tết", () => {
    const random = new Random(3);
    const instants = [
      new Date("2026-02-13T09:59:00Z"), // 16:59 Friday before Tết
      new Date("2026-02-13T10:00:00Z"), // 17:00: received after the holiday
      new Date("2026-04-30T03:00:00Z"),
      new Date("2025-12-31T16:59:59Z"), // 23:59 Vietnam
    ];
    for (let i = 0; i < 3_000; i += 1) instants.push(new Date(vnMidnight(first + random.int(0, 900)) + random.int(0, 86_399_999)));
    for (const at of instants) {
      for (const days of [0, 1, 5, 15, 30]) {
        expect(dayString(clock.appointment(at.getTime(), days))).toBe(appointmentDate(cal, at, days));
      }
    }
  });

  it("adds working days as the app does", () => {
    const random = new Random(4);
    for (let i = 0; i < 500; i += 1) {
      const day = first + random.int(0, 900);
      const n = random.int(0, 20);
      expect(dayString(clock.addWorking(day, n))).toBe(addWorkingDays(cal, dayString(day), n));
    }
  });

  it("puts office instants inside office hours of that Vietnam day", () => {
    const random = new Random(5);
    const day = dayNumber("2026-06-10");
    for (let i = 0; i < 1_000; i += 1) {
      const at = clock.officeInstant(day, random.next());
      const { date, minutes } = vnTime(new Date(at));
      expect(date).toBe("2026-06-10");
      expect((minutes >= 450 && minutes < 690) || (minutes >= 810 && minutes < 1020)).toBe(true);
    }
    expect(vnDayOf(vnMidnight(day))).toBe(day);
    expect(vnDayOf(vnMidnight(day) - 1)).toBe(day - 1);
  });

  it("refuses days outside the app's holiday calendar rather than guessing", () => {
    expect(() => new WorkCalendar(dayNumber("2024-12-30"), dayNumber("2025-01-05"))).toThrow(RangeError);
    expect(() => clock.isWorking(dayNumber("2028-01-03"))).toThrow(RangeError);
  });
});
