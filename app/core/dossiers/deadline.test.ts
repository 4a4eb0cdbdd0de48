import { describe, expect, it } from "vitest";
import { createCalendar } from "../calendar/working-days";
import { checkApology, classifyTimeliness, deadlineFlag, dueBucket, dueThresholds, pausedWorkingDays, resumeClock } from "./deadline";

const cal = createCalendar();
/** An instant given as Vietnam wall-clock time. */
const vn = (local: string) => new Date(`${local}+07:00`);

describe("due buckets", () => {
  it("counts 'soon' in working days across a weekend and the National Day holiday", () => {
    // Friday 28/8/2026; 29–30/8 weekend, 31/8–2/9 days off (National Day): two working days on is Friday 4/9.
    const t = dueThresholds(cal, vn("2026-08-28T16:00"));
    expect(t).toEqual({ today: "2026-08-28", soonUntil: "2026-09-04" });
    expect(dueBucket("2026-08-27", t)).toBe("overdue");
    expect(dueBucket("2026-08-28", t)).toBe("soon"); // due today is not yet late
    expect(dueBucket("2026-09-02", t)).toBe("soon");
    expect(dueBucket("2026-09-04", t)).toBe("soon");
    expect(dueBucket("2026-09-05", t)).toBe("later");
  });

  it("starts from the Vietnam date, and from a weekend counts the following working days", () => {
    // 17:30 UTC on Friday 20/11 is already Saturday 21/11 in Vietnam: Monday and Tuesday are the two days.
    expect(dueThresholds(cal, new Date("2026-11-20T17:30:00Z"))).toEqual({ today: "2026-11-21", soonUntil: "2026-11-24" });
    expect(dueThresholds(cal, vn("2026-11-20T09:00"))).toEqual({ today: "2026-11-20", soonUntil: "2026-11-24" });
  });

  it("flags only dossiers whose clock runs", () => {
    const t = dueThresholds(cal, vn("2026-08-28T10:00"));
    const late = { dueOn: "2026-08-20", pausedAt: null };
    expect(deadlineFlag({ ...late, status: 2 }, t)).toBe("overdue");
    expect(deadlineFlag({ ...late, status: 4 }, t)).toBe("overdue");
    expect(deadlineFlag({ ...late, status: 6 }, t)).toBe("overdue");
    expect(deadlineFlag({ ...late, status: 1 }, t)).toBeNull(); // provisional date only
    expect(deadlineFlag({ ...late, status: 5, pausedAt: new Date() }, t)).toBeNull(); // waiting on the citizen
    expect(deadlineFlag({ ...late, status: 4, pausedAt: new Date() }, t)).toBeNull();
    expect(deadlineFlag({ ...late, status: 9 }, t)).toBeNull();
    expect(deadlineFlag({ status: 4, pausedAt: null, dueOn: null }, t)).toBeNull();
    expect(deadlineFlag({ status: 4, pausedAt: null, dueOn: "2026-09-03" }, t)).toBe("soon");
  });
});

// Vietnam is UTC+7: 03:00Z is 10:00 in Hà Nội. Around 27 Apr – 1 May 2026: Mon 27 Apr (Hùng Kings,
// compensatory), Thu 30 Apr and Fri 1 May are public holidays.
const vnAt = (date: string, time = "10:00") => new Date(`${date}T${time}:00+07:00`);

describe("paused clock", () => {
  it("counts the working days after the request up to the answer, skipping the weekend and a holiday", () => {
    expect(pausedWorkingDays(cal, vnAt("2026-04-24"), vnAt("2026-04-28"))).toBe(1);
  });

  it("costs nothing when asked and answered the same day", () => {
    expect(pausedWorkingDays(cal, vnAt("2026-04-24", "08:00"), vnAt("2026-04-24", "16:59"))).toBe(0);
    expect(resumeClock(cal, { dueOn: "2026-04-29", pausedAt: vnAt("2026-04-24", "08:00"), resumedAt: vnAt("2026-04-24", "16:00") })).toEqual({
      dueOn: "2026-04-29",
      pausedDays: 0,
    });
  });

  it("uses the Vietnam date, not UTC, for both ends", () => {
    // 18:00Z on Thursday 23 April is 01:00 on Friday 24 April in Hà Nội.
    expect(pausedWorkingDays(cal, new Date("2026-04-23T18:00:00Z"), vnAt("2026-04-28"))).toBe(1);
  });

  it("moves the deadline later by the paused working days, past holidays", () => {
    expect(resumeClock(cal, { dueOn: "2026-04-29", pausedAt: vnAt("2026-04-24"), resumedAt: vnAt("2026-04-28") })).toEqual({
      dueOn: "2026-05-04",
      pausedDays: 1,
    });
    expect(resumeClock(cal, { dueOn: "2026-04-22", pausedAt: vnAt("2026-04-20"), resumedAt: vnAt("2026-04-23") })).toEqual({
      dueOn: "2026-04-28",
      pausedDays: 3,
    });
  });

  it("keeps a missing deadline missing", () => {
    expect(resumeClock(cal, { dueOn: null, pausedAt: vnAt("2026-04-20"), resumedAt: vnAt("2026-04-23") })).toEqual({ dueOn: null, pausedDays: 3 });
  });
});

describe("early / on time / late", () => {
  it("compares the finishing day with the deadline day", () => {
    expect(classifyTimeliness("2026-04-28", "2026-04-29")).toBe("early");
    expect(classifyTimeliness("2026-04-29", "2026-04-29")).toBe("on_time");
    expect(classifyTimeliness("2026-05-04", "2026-04-29")).toBe("late");
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
