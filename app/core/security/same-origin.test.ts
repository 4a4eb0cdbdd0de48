import { describe, expect, it } from "vitest";
import { isCrossSiteRequest, type RequestFacts } from "./same-origin";

const post = (facts: Partial<RequestFacts>): RequestFacts => ({
  method: "POST",
  path: "/login",
  host: "dichvucong.example.vn",
  origin: undefined,
  secFetchSite: undefined,
  ...facts,
});

describe("isCrossSiteRequest", () => {
  it("refuses a POST from another origin, a sandboxed or unparsable origin, or one the browser marks cross-site", () => {
    expect(isCrossSiteRequest(post({ origin: "https://evil.example" }))).toBe(true);
    expect(isCrossSiteRequest(post({ origin: "https://dichvucong.example.vn.evil.example" }))).toBe(true);
    expect(isCrossSiteRequest(post({ origin: "https://dichvucong.example.vn:8443" }))).toBe(true);
    expect(isCrossSiteRequest(post({ origin: "null" }))).toBe(true);
    expect(isCrossSiteRequest(post({ origin: "not a url" }))).toBe(true);
    expect(isCrossSiteRequest(post({ secFetchSite: "cross-site" }))).toBe(true);
    expect(isCrossSiteRequest(post({ origin: "https://dichvucong.example.vn", secFetchSite: "cross-site" }))).toBe(true);
    expect(isCrossSiteRequest(post({ method: "PUT", origin: "https://evil.example" }))).toBe(true);
    expect(isCrossSiteRequest(post({ method: "delete", origin: "https://evil.example" }))).toBe(true);
  });

  it("lets the portal's own posts through, and posts without Origin (not a browser form)", () => {
    expect(isCrossSiteRequest(post({ origin: "https://dichvucong.example.vn", secFetchSite: "same-origin" }))).toBe(false);
    expect(isCrossSiteRequest(post({ origin: "http://dichvucong.example.vn" }))).toBe(false); // TLS ends at the proxy
    expect(isCrossSiteRequest(post({ secFetchSite: "same-origin" }))).toBe(false);
    expect(isCrossSiteRequest(post({ secFetchSite: "none" }))).toBe(false); // typed in the address bar, a bookmark
    expect(isCrossSiteRequest(post({}))).toBe(false);
    expect(isCrossSiteRequest(post({ host: "localhost:3000", origin: "http://localhost:3000" }))).toBe(false);
  });

  it("never refuses reads, nor the gateway's signed server-to-server notification", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "get"])
      expect(isCrossSiteRequest(post({ method, origin: "https://evil.example", secFetchSite: "cross-site" }))).toBe(false);
    expect(isCrossSiteRequest(post({ path: "/api/v1/payments/ipn", origin: "https://gateway.example", secFetchSite: "cross-site" }))).toBe(false);
    expect(isCrossSiteRequest(post({ path: "/api/v1/payments/ipn/x", origin: "https://evil.example" }))).toBe(true);
  });
});
