import { describe, expect, it } from "vitest";
import { createCalendar } from "../calendar/working-days";
import { checkApology, classifyTimeliness, dueState, pausedWorkingDays, resumeClock } from "./deadline";

const cal = createCalendar();
// Vietnam is UTC+7: 03:00Z is 10:00 in Hà Nội. Around 27 Apr – 1 May 2026: Mon 27 Apr (Hùng Kings,
// compensatory), Thu 30 Apr and Fri 1 May are public holidays.
const vn = (date: string, time = "10:00") => new Date(`${date}T${time}:00+07:00`);

describe("paused clock", () => {
  it("counts the working days after the request up to the answer, skipping the weekend and a holiday", () => {
    expect(pausedWorkingDays(cal, vn("2026-04-24"), vn("2026-04-28"))).toBe(1);
  });

  it("costs nothing when asked and answered the same day", () => {
    expect(pausedWorkingDays(cal, vn("2026-04-24", "08:00"), vn("2026-04-24", "16:59"))).toBe(0);
    expect(resumeClock(cal, { dueOn: "2026-04-29", pausedAt: vn("2026-04-24", "08:00"), resumedAt: vn("2026-04-24", "16:00") })).toEqual({ dueOn: "2026-04-29", pausedDays: 0 });
  });

  it("uses the Vietnam date, not UTC, for both ends", () => {
    // 18:00Z on Thursday 23 April is 01:00 on Friday 24 April in Hà Nội.
    expect(pausedWorkingDays(cal, new Date("2026-04-23T18:00:00Z"), vn("2026-04-28"))).toBe(1);
  });

  it("moves the deadline later by the paused working days, past holidays", () => {
    expect(resumeClock(cal, { dueOn: "2026-04-29", pausedAt: vn("2026-04-24"), resumedAt: vn("2026-04-28") })).toEqual({ dueOn: "2026-05-04", pausedDays: 1 });
    expect(resumeClock(cal, { dueOn: "2026-04-22", pausedAt: vn("2026-04-20"), resumedAt: vn("2026-04-23") })).toEqual({ dueOn: "2026-04-28", pausedDays: 3 });
  });

  it("keeps a missing deadline missing", () => {
    expect(resumeClock(cal, { dueOn: null, pausedAt: vn("2026-04-20"), resumedAt: vn("2026-04-23") })).toEqual({ dueOn: null, pausedDays: 3 });
  });
});

describe("early / on time / late", () => {
  it("compares the finishing day with the deadline day", () => {
    expect(classifyTimeliness("2026-04-28", "2026-04-29")).toBe("early");
    expect(classifyTimeliness("2026-04-29", "2026-04-29")).toBe("on_time");
    expect(classifyTimeliness("2026-05-04", "2026-04-29")).toBe("late");
  });
});

describe("due state in the queue", () => {
  it("is overdue after the deadline, due soon within two working days, on track after", () => {
    expect(dueState(cal, "2026-04-28", "2026-04-27")).toBe("overdue");
    expect(dueState(cal, "2026-04-28", "2026-04-28")).toBe("due_soon");
    // Two working days after Tue 28 April: Wed 29, then Mon 4 May (30 Apr, 1 May are holidays).
    expect(dueState(cal, "2026-04-28", "2026-05-04")).toBe("due_soon");
    expect(dueState(cal, "2026-04-28", "2026-05-05")).toBe("on_track");
  });
});

describe("apology with a new appointment", () => {
  it("is allowed from one working day before the deadline, for a later working day", () => {
    expect(checkApology(cal, { today: "2026-04-28", dueOn: "2026-04-29", newDate: "2026-05-04" })).toEqual({ ok: true });
    expect(checkApology(cal, { today: "2026-05-06", dueOn: "2026-04-29", newDate: "2026-05-07" })).toEqual({ ok: true });
  });

  it("is refused while the dossier is on track", () => {
    expect(checkApology(cal, { today: "2026-04-28", dueOn: "2026-05-04", newDate: "2026-05-06" })).toEqual({ ok: false, error: "not_late" });
  });

  it("needs a date after the deadline and after today, on a working day", () => {
    expect(checkApology(cal, { today: "2026-04-28", dueOn: "2026-04-29", newDate: "2026-04-29" })).toEqual({ ok: false, error: "date_not_later" });
    expect(checkApology(cal, { today: "2026-05-06", dueOn: "2026-04-29", newDate: "2026-05-05" })).toEqual({ ok: false, error: "date_not_later" });
    expect(checkApology(cal, { today: "2026-04-28", dueOn: "2026-04-29", newDate: "2026-04-30" })).toEqual({ ok: false, error: "not_working_day" });
  });
});
