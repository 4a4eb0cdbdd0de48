import { describe, expect, it } from "vitest";
import { localText, shownName, shownText } from "./local-text";

describe("shownText", () => {
  it("shows the English on an English page, the Vietnamese on a Vietnamese one, with no lang of its own", () => {
    expect(shownText({ vi: "Đăng ký môi trường", en: "Environmental registration" }, "en")).toEqual({ text: "Environmental registration", lang: undefined });
    expect(shownText({ vi: "Đăng ký môi trường", en: "Environmental registration" }, "vi")).toEqual({ text: "Đăng ký môi trường", lang: undefined });
  });

  it("marks the Vietnamese an English page falls back to with lang vi", () => {
    expect(shownText({ vi: "Đăng ký môi trường" }, "en")).toEqual({ text: "Đăng ký môi trường", lang: "vi" });
    expect(shownName("Đăng ký môi trường", null, "en")).toEqual({ text: "Đăng ký môi trường", lang: "vi" });
    expect(shownName("Đăng ký môi trường", "", "en").lang).toBe("vi");
    expect(localText({ vi: "Đăng ký môi trường" }, "en")).toBe("Đăng ký môi trường");
  });
});
