import { describe, expect, it } from "vitest";
import { createCalendar } from "../calendar/working-days";
import { deadlineFlag, dueBucket, dueThresholds } from "./deadline";

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
