import { describe, expect, it } from "vitest";
import { STATUS } from "../dossiers/status";
import { composeMessages, gsmLength, SMS_LIMIT, templateForStatus, TEMPLATES, toSmsText, type MessageInput } from "./messages";

const URL = "https://dichvucong.example.vn/applications/260312-7K3M9Q-5";
const base = { receiptCode: "260312-7K3M9Q-5", procedureName: "Đăng ký khai sinh", trackingUrl: URL, dueOn: "2026-03-20" } as const;
const LONG_REASON = "Thiếu bản sao giấy chứng sinh có chứng thực; ảnh chụp CCCD bị mờ, không đọc được số định danh cá nhân. Đề nghị nộp lại.";

describe("notification texts", () => {
  it("tells a Vietnamese applicant the dossier was received, with the appointment date", () => {
    const m = composeMessages({ ...base, language: "vi", template: "received", applicantName: "Nguyễn Văn An" });
    expect(m.email.subject).toBe("Hồ sơ 260312-7K3M9Q-5 đã được tiếp nhận");
    expect(m.email.body).toBe(
      [
        "Kính gửi Nguyễn Văn An,",
        "",
        "Cơ quan đã tiếp nhận hồ sơ 260312-7K3M9Q-5 của bạn và sẽ giải quyết theo ngày hẹn dưới đây.",
        "",
        "Mã hồ sơ: 260312-7K3M9Q-5",
        "Thủ tục: Đăng ký khai sinh",
        "Ngày hẹn trả kết quả: 20/03/2026",
        `Xem hồ sơ: ${URL}`,
        "",
        "Cổng Dịch vụ công",
        "Đây là thư gửi tự động, vui lòng không trả lời thư này.",
      ].join("\n"),
    );
    expect(m.sms).toBe(`Ho so 260312-7K3M9Q-5 da duoc tiep nhan. Hen tra ket qua 20/03/2026. Tra cuu: ${URL}`);
  });

  it("tells an English applicant the same in English", () => {
    const m = composeMessages({ ...base, language: "en", template: "received", applicantName: "Nguyễn Văn An" });
    expect(m.email.subject).toBe("Application 260312-7K3M9Q-5 accepted");
    expect(m.email.body).toBe(
      [
        "Dear Nguyễn Văn An,",
        "",
        "The agency has accepted your application 260312-7K3M9Q-5 and will handle it by the date below.",
        "",
        "Application code: 260312-7K3M9Q-5",
        "Procedure: Đăng ký khai sinh",
        "Result due on: 20/03/2026",
        `View the application: ${URL}`,
        "",
        "Online Public Service Portal",
        "This message was sent automatically; please do not reply.",
      ].join("\n"),
    );
    expect(m.sms).toBe(`Application 260312-7K3M9Q-5 accepted. Result due 20/03/2026. Track: ${URL}`);
  });

  it("gives the officer's reason in full by e-mail and cut to one SMS", () => {
    const vi = composeMessages({ ...base, language: "vi", template: "not_received", reason: LONG_REASON });
    expect(vi.email.body).toContain(
      "\nLý do: Thiếu bản sao giấy chứng sinh có chứng thực; ảnh chụp CCCD bị mờ, không đọc được số định danh cá nhân. Đề nghị nộp lại\n",
    );
    expect(vi.email.body).not.toContain("Ngày hẹn trả kết quả"); // a refused dossier has no appointment any more
    expect(vi.sms).toBe(`Ho so 260312-7K3M9Q-5 khong duoc tiep nhan. Ly do: Thieu ban sao giay chung sinh co... Chi tiet: ${URL}`);
    const en = composeMessages({ ...base, language: "en", template: "stopped", reason: "Duplicate application." });
    expect(en.email.subject).toBe("Handling of application 260312-7K3M9Q-5 stopped");
    expect(en.email.body).toContain("\nReason: Duplicate application\n");
    expect(en.sms).toBe(`Handling of application 260312-7K3M9Q-5 stopped. Reason: Duplicate application. Details: ${URL}`);
  });

  it("labels a supplement request's message as what to complete, and gives an apology's new date", () => {
    const supplement = composeMessages({ ...base, language: "vi", template: "supplement_requested", reason: "Bổ sung ảnh CCCD mặt sau" });
    expect(supplement.email.body).toContain("\nNội dung cần bổ sung: Bổ sung ảnh CCCD mặt sau\n");
    expect(supplement.sms).toBe(`Ho so 260312-7K3M9Q-5 can bo sung: Bo sung anh CCCD mat sau. Vui long bo sung tai: ${URL}`);
    const apology = composeMessages({ ...base, language: "en", template: "apology", newDate: "2026-04-02" });
    expect(apology.email.body).toContain("New result date: 02/04/2026.");
    expect(apology.sms).toBe(`Apologies: application 260312-7K3M9Q-5 is late. New result date: 02/04/2026. Track: ${URL}`);
  });

  it("sends Vietnamese SMS without diacritics, in GSM-7, within one message for a typical dossier", () => {
    const typical: Omit<MessageInput, "template"> = { ...base, language: "vi", reason: LONG_REASON, newDate: "2026-04-02" };
    for (const template of TEMPLATES) {
      const { sms } = composeMessages({ ...typical, template });
      expect(sms, template).toBe(sms.normalize("NFD").replace(/\p{M}/gu, ""));
      expect(sms, template).not.toMatch(/[đĐ]/);
      const length = gsmLength(sms);
      expect(length, template).not.toBeNull();
      expect(length ?? Infinity, `${template}: ${sms}`).toBeLessThanOrEqual(SMS_LIMIT);
    }
  });

  it("keeps every SMS to GSM-7 characters, whatever the officer typed", () => {
    expect(toSmsText("“Đủ” – giấy tờ… ✓")).toBe('"Du" - giay to... ?');
    expect(gsmLength("a€")).toBe(3);
    expect(gsmLength("ạ")).toBeNull();
  });

  it("tells the citizen of the statuses they must know about, not of processing", () => {
    expect(templateForStatus(STATUS.submitted)).toBe("submitted");
    expect(templateForStatus(STATUS.notReceived)).toBe("not_received");
    expect(templateForStatus(STATUS.withdrawn)).toBe("withdrawn");
    expect(templateForStatus(STATUS.returned)).toBe("returned");
    expect(templateForStatus(STATUS.processing)).toBeNull();
    expect(templateForStatus(STATUS.draft)).toBeNull();
  });
});
