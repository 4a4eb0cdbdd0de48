import { describe, expect, it } from "vitest";
import {
  buildPaymentParams,
  buildQuerydrRequest,
  canonicalQuery,
  fromVnpAmount,
  GATEWAY_OUTCOMES,
  IPN_MESSAGES,
  parseVnpDate,
  parseGatewayResult,
  paymentUrl,
  QuerydrRequestSchema,
  QuerydrResponseSchema,
  querydrRequestHashData,
  querydrResponseHashData,
  signParams,
  signQuerydrResponse,
  toVnpAmount,
  verifyParams,
  verifyQuerydrRequest,
  verifyQuerydrResponse,
  vnpDate,
  vnpOrderInfo,
  type VnpParams,
} from "./vnpay";

// Known answers computed outside this code base:
//   python3: "&".join(f"{quote_plus(k, safe='')}={quote_plus(v, safe='')}" for k in sorted(p))
//   printf '%s' "$DATA" | openssl dgst -sha512 -hmac "$SECRET"
const SECRET = "KATSECRETKATSECRETKATSECRET012345";

const KAT_PARAMS: VnpParams = {
  vnp_Version: "2.1.0",
  vnp_Command: "pay",
  vnp_TmnCode: "DVCDEMO1",
  vnp_Amount: "15000000",
  vnp_CurrCode: "VND",
  vnp_TxnRef: "K7Q2M9X4P1R8T3V6",
  vnp_OrderInfo: "Thanh toan le phi ho so 261122-ABCDEF-X",
  vnp_OrderType: "other",
  vnp_Locale: "vn",
  vnp_ReturnUrl: "http://localhost:3000/payments/return?from=gateway",
  vnp_IpAddr: "203.113.135.9",
  vnp_CreateDate: "20261123003005",
  vnp_ExpireDate: "20261123004505",
  vnp_BankCode: "NCB",
  vnp_Bill_Address: "So 12, ngo 3: Kim Ma / Ba Dinh. Ha_Noi",
};
const KAT_CANONICAL =
  "vnp_Amount=15000000&vnp_BankCode=NCB&vnp_Bill_Address=So+12%2C+ngo+3%3A+Kim+Ma+%2F+Ba+Dinh.+Ha_Noi&vnp_Command=pay&vnp_CreateDate=20261123003005&vnp_CurrCode=VND&vnp_ExpireDate=20261123004505&vnp_IpAddr=203.113.135.9&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+le+phi+ho+so+261122-ABCDEF-X&vnp_OrderType=other&vnp_ReturnUrl=http%3A%2F%2Flocalhost%3A3000%2Fpayments%2Freturn%3Ffrom%3Dgateway&vnp_TmnCode=DVCDEMO1&vnp_TxnRef=K7Q2M9X4P1R8T3V6&vnp_Version=2.1.0";
const KAT_HASH = "455982c0ce1488e308eb8289254dfe198992444eaead78fd7e85c7bdacc17c8152a84f514a844f7cee5f698ba3ee11af05e0f2576bc1f845212c7ff20768889b";

describe("signing (known answers)", () => {
  it("builds the canonical query: vnp_ keys sorted, values encoded with + for spaces", () => {
    expect(canonicalQuery(KAT_PARAMS)).toBe(KAT_CANONICAL);
  });

  it("leaves out the hash, the hash type and keys that are not vnp_", () => {
    expect(canonicalQuery({ ...KAT_PARAMS, vnp_SecureHash: "x", vnp_SecureHashType: "HmacSHA512", utm_source: "mail" })).toBe(KAT_CANONICAL);
  });

  it("signs with lower-case hex HMAC-SHA512", () => {
    expect(signParams(KAT_PARAMS, SECRET)).toBe(KAT_HASH);
  });

  it("builds the same signed parameters and URL from a payment (GMT+7 dates, amount × 100, safe order info)", () => {
    const params = buildPaymentParams({
      tmnCode: "DVCDEMO1",
      secret: SECRET,
      amountVnd: 150_000,
      txnRef: "K7Q2M9X4P1R8T3V6",
      orderInfo: "Thanh toán lệ phí hồ sơ 261122-ABCDEF-X",
      returnUrl: "http://localhost:3000/payments/return?from=gateway",
      ipAddr: "203.113.135.9",
      locale: "vn",
      createdAt: new Date("2026-11-22T17:30:05Z"),
      bankCode: "NCB",
    });
    const { vnp_Bill_Address: _address, ...expected } = KAT_PARAMS;
    // The same set without vnp_Bill_Address, hashed with openssl.
    const hash = "c1d01290cda9d37c8abd91a63a41900ebf835a6fa42219c877d159d29a2034a9ff263a7829fc216ff25ba27c16a5d5d4b940ea6eb5bf1b47982d486fc0c6be7f";
    expect(params).toEqual({ ...expected, vnp_SecureHash: hash });
    expect(paymentUrl("https://gw.example/pay", params)).toBe(
      `https://gw.example/pay?${KAT_CANONICAL.replace(/&vnp_Bill_Address=[^&]*/, "")}&vnp_SecureHash=${hash}`,
    );
    expect(paymentUrl("/gateway/vnpay/pay?x=1", params).startsWith("/gateway/vnpay/pay?x=1&vnp_Amount=")).toBe(true);
  });

  it("omits vnp_BankCode when none is chosen and honours expireMinutes and orderType", () => {
    const params = buildPaymentParams({
      tmnCode: "DVCDEMO1",
      secret: SECRET,
      amountVnd: 0,
      txnRef: "A1",
      orderInfo: "x",
      returnUrl: "/r",
      ipAddr: "::1",
      locale: "en",
      createdAt: new Date("2026-12-31T16:50:00Z"),
      expireMinutes: 20,
      orderType: "billpayment",
    });
    expect(params).not.toHaveProperty("vnp_BankCode");
    expect(params).toMatchObject({
      vnp_Amount: "0",
      vnp_Locale: "en",
      vnp_OrderType: "billpayment",
      vnp_CreateDate: "20261231235000",
      vnp_ExpireDate: "20270101001000",
    });
    expect(verifyParams(params, SECRET)).toBe(true);
    expect(() =>
      buildPaymentParams({
        tmnCode: "DVCDEMO1",
        secret: SECRET,
        amountVnd: 1,
        txnRef: "A1",
        orderInfo: "!!!",
        returnUrl: "/r",
        ipAddr: "::1",
        locale: "vn",
        createdAt: new Date(),
      }),
    ).toThrow(RangeError);
  });
});

describe("verifyParams", () => {
  const genuine: VnpParams = { ...KAT_PARAMS, vnp_SecureHash: KAT_HASH };

  it("accepts a genuine set and ignores the hash type and other keys", () => {
    expect(verifyParams(genuine, SECRET)).toBe(true);
    expect(verifyParams({ ...genuine, vnp_SecureHashType: "HmacSHA512", extra: "1" }, SECRET)).toBe(true);
  });

  it("compares the hash exactly: the upper-case hex of the right digest is refused, as VNPay refuses it", () => {
    expect(verifyParams({ ...genuine, vnp_SecureHash: KAT_HASH.toUpperCase() }, SECRET)).toBe(false);
  });

  it("rejects a set with any value changed, a key added or removed, or another secret", () => {
    for (const key of Object.keys(KAT_PARAMS)) {
      expect(verifyParams({ ...genuine, [key]: `${genuine[key]}0` }, SECRET), key).toBe(false);
    }
    expect(verifyParams({ ...genuine, vnp_Amount: "1500000" }, SECRET)).toBe(false);
    expect(verifyParams({ ...genuine, vnp_Extra: "" }, SECRET)).toBe(false);
    const { vnp_BankCode: _bank, ...withoutBank } = genuine;
    expect(verifyParams(withoutBank, SECRET)).toBe(false);
    expect(verifyParams(genuine, `${SECRET}x`)).toBe(false);
  });

  it("rejects a missing or empty hash and a hash of another length, without throwing", () => {
    const { vnp_SecureHash: _hash, ...unsigned } = genuine;
    expect(verifyParams(unsigned, SECRET)).toBe(false);
    expect(verifyParams({ ...genuine, vnp_SecureHash: "" }, SECRET)).toBe(false);
    expect(verifyParams({ ...genuine, vnp_SecureHash: KAT_HASH.slice(0, 64) }, SECRET)).toBe(false);
    expect(verifyParams({ ...genuine, vnp_SecureHash: `${KAT_HASH}00` }, SECRET)).toBe(false);
    expect(verifyParams({ ...genuine, vnp_SecureHash: "é".repeat(64) }, SECRET)).toBe(false);
    expect(verifyParams({ ...genuine, vnp_OrderInfo: "\uD800" }, SECRET)).toBe(false);
  });
});

describe("amounts", () => {
  it("multiplies whole đồng by 100", () => {
    expect(toVnpAmount(150_000)).toBe("15000000");
    expect(toVnpAmount(0)).toBe("0");
    expect(toVnpAmount(9_999_999_999)).toBe("999999999900");
  });

  it("refuses fractions, negatives, non-numbers and amounts over 12 digits", () => {
    for (const bad of [1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 10_000_000_000]) expect(() => toVnpAmount(bad), String(bad)).toThrow(RangeError);
  });

  it("reads vnp_Amount back only from a plain integer divisible by 100", () => {
    expect(fromVnpAmount("15000000")).toBe(150_000);
    expect(fromVnpAmount("0")).toBe(0);
    for (const bad of ["", "15000050", "-100", "1e5", "100.00", " 100", "0100", "+100", "1000000000000", "abc"]) expect(fromVnpAmount(bad), bad).toBeNull();
  });
});

describe("GMT+7 timestamps", () => {
  it("formats an instant in Vietnam's time", () => {
    expect(vnpDate(new Date("2026-11-22T17:30:05Z"))).toBe("20261123003005");
    expect(vnpDate(new Date("2026-11-22T16:59:59Z"))).toBe("20261122235959");
    expect(vnpDate(new Date("2026-12-31T17:00:00Z"))).toBe("20270101000000");
    expect(vnpDate(new Date("2028-02-28T17:00:00Z"))).toBe("20280229000000");
    expect(() => vnpDate(new Date(Number.NaN))).toThrow(RangeError);
  });

  it("parses back to the same instant", () => {
    expect(parseVnpDate("20261123003005")?.toISOString()).toBe("2026-11-22T17:30:05.000Z");
    expect(parseVnpDate("20270101000000")?.toISOString()).toBe("2026-12-31T17:00:00.000Z");
    expect(parseVnpDate("20280229000000")?.toISOString()).toBe("2028-02-28T17:00:00.000Z");
  });

  it("returns null for malformed and impossible dates", () => {
    for (const bad of [
      "",
      "2026112300300",
      "202611230030051",
      "2026-11-23 00:30",
      "20260230120000",
      "20270229000000",
      "20261131000000",
      "20261301000000",
      "20261100000000",
      "20261123240000",
      "20261123236000",
      "20261123235960",
      "00991123000000",
    ]) {
      expect(parseVnpDate(bad), bad).toBeNull();
    }
  });
});

describe("vnpOrderInfo", () => {
  it("drops diacritics (đ → d) and unsafe characters, collapses spaces", () => {
    expect(vnpOrderInfo("Thanh toán lệ phí hồ sơ 261122-ABCDEF-X")).toBe("Thanh toan le phi ho so 261122-ABCDEF-X");
    expect(vnpOrderInfo("Đăng ký   kết hôn: Đà Nẵng, Việt Nam / số 5_a.")).toBe("Dang ky ket hon: Da Nang, Viet Nam / so 5_a.");
    expect(vnpOrderInfo('Phí <script>&amp; 100%\n"quà" ₫')).toBe("Phi script amp 100 qua");
    expect(vnpOrderInfo("ƯỚC Ơ ư ờ")).toBe("UOC O u o");
  });

  it("keeps at most 255 characters", () => {
    const long = vnpOrderInfo("ả".repeat(400));
    expect(long).toBe("a".repeat(255));
    expect(vnpOrderInfo(`${"a".repeat(254)} b`)).toBe("a".repeat(254));
  });
});

describe("gateway vocabulary", () => {
  it("names the simulated outcomes and the IPN answers", () => {
    expect(Object.keys(GATEWAY_OUTCOMES).sort()).toEqual(["00", "11", "24", "51", "75"]);
    expect(IPN_MESSAGES).toEqual({
      "00": "Confirm Success",
      "01": "Order not found",
      "02": "Order already confirmed",
      "04": "Invalid amount",
      "97": "Invalid signature",
      "99": "Unknown error",
    });
  });
});

describe("querydr", () => {
  const request = buildQuerydrRequest({
    tmnCode: "DVCDEMO1",
    secret: SECRET,
    txnRef: "K7Q2M9X4P1R8T3V6",
    transactionDate: "20261123003005",
    ipAddr: "10.0.0.5",
    orderInfo: "Truy vấn giao dịch K7Q2M9X4P1R8T3V6",
    now: new Date("2026-11-22T18:15:00Z"),
    requestId: "REQ0001",
  });

  it("hashes the request fields joined by | in VNPay's order (known answer)", () => {
    expect(querydrRequestHashData(request)).toBe(
      "REQ0001|2.1.0|querydr|DVCDEMO1|K7Q2M9X4P1R8T3V6|20261123003005|20261123011500|10.0.0.5|Truy van giao dich K7Q2M9X4P1R8T3V6",
    );
    expect(request.vnp_SecureHash).toBe(
      "ccb60418d98d199875cb15f9391ca9287e24419391f0c9bd8f9fee4affc6c1baaba92b046f0932c3124ffd2a3307cfc4fb36a44819fbdc429d1e62efd0293d97",
    );
  });

  it("verifies a parsed request and rejects a changed field or another secret", () => {
    const parsed = QuerydrRequestSchema.parse(JSON.parse(JSON.stringify({ ...request, unknown: "dropped" })));
    expect(verifyQuerydrRequest(parsed, SECRET)).toBe(true);
    expect(verifyQuerydrRequest({ ...parsed, vnp_TxnRef: "K7Q2M9X4P1R8T3V7" }, SECRET)).toBe(false);
    expect(verifyQuerydrRequest({ ...parsed, vnp_SecureHash: "" }, SECRET)).toBe(false);
    expect(verifyQuerydrRequest(parsed, "another-secret")).toBe(false);
    expect(QuerydrRequestSchema.safeParse({ ...request, vnp_Command: "refund" }).success).toBe(false);
    expect(QuerydrRequestSchema.safeParse({ ...request, vnp_TransactionDate: "2026-11-23" }).success).toBe(false);
    expect(QuerydrRequestSchema.safeParse("not an object").success).toBe(false);
  });

  const answer = {
    vnp_ResponseId: "RES0001",
    vnp_Command: "querydr",
    vnp_ResponseCode: "00",
    vnp_Message: "QueryDR Success",
    vnp_TmnCode: "DVCDEMO1",
    vnp_TxnRef: "K7Q2M9X4P1R8T3V6",
    vnp_Amount: "15000000",
    vnp_BankCode: "NCB",
    vnp_PayDate: "20261123003512",
    vnp_TransactionNo: "14000001",
    vnp_TransactionType: "01",
    vnp_TransactionStatus: "00",
    vnp_OrderInfo: "Thanh toan le phi ho so 261122-ABCDEF-X",
    vnp_PromotionCode: "",
    vnp_PromotionAmount: "",
  };

  it("hashes the answer fields joined by | in VNPay's order (known answer) and round-trips", () => {
    expect(querydrResponseHashData(answer)).toBe(
      "RES0001|querydr|00|QueryDR Success|DVCDEMO1|K7Q2M9X4P1R8T3V6|15000000|NCB|20261123003512|14000001|01|00|Thanh toan le phi ho so 261122-ABCDEF-X||",
    );
    const signed = signQuerydrResponse(answer, SECRET);
    expect(signed.vnp_SecureHash).toBe(
      "146ada82e9934f04aa68adf40ea3850baa6f4fdfc1548e789d519fb84c08615a0d519555160e07c9b962774e165b74f9b4bcfc16ad2d95ed129c5fe29038a498",
    );
    const parsed = QuerydrResponseSchema.parse(JSON.parse(JSON.stringify(signed)));
    expect(verifyQuerydrResponse(parsed, SECRET)).toBe(true);
    expect(verifyQuerydrResponse({ ...parsed, vnp_TransactionStatus: "02" }, SECRET)).toBe(false);
    expect(verifyQuerydrResponse({ ...parsed, vnp_SecureHash: parsed.vnp_SecureHash.slice(2) }, SECRET)).toBe(false);
  });

  it("reads a short 'not found' answer with the missing fields as empty strings", () => {
    const short = signQuerydrResponse(
      {
        ...answer,
        vnp_ResponseCode: "91",
        vnp_Message: "Transaction not found",
        vnp_Amount: "",
        vnp_BankCode: "",
        vnp_PayDate: "",
        vnp_TransactionNo: "",
        vnp_TransactionType: "",
        vnp_TransactionStatus: "",
        vnp_OrderInfo: "",
      },
      SECRET,
    );
    const { vnp_Amount: _a, vnp_BankCode: _b, vnp_PayDate: _p, vnp_TransactionNo: _n, ...sent } = short;
    const parsed = QuerydrResponseSchema.parse(sent);
    expect(parsed.vnp_Amount).toBe("");
    expect(verifyQuerydrResponse(parsed, SECRET)).toBe(true);
  });
});

describe("parseGatewayResult (what an IPN or a browser return must be)", () => {
  const merchant = { tmnCode: "DVCDEMO1", secret: SECRET };
  const result: VnpParams = {
    vnp_Amount: "15000000",
    vnp_BankCode: "NCB",
    vnp_BankTranNo: "VNP14000001",
    vnp_CardType: "ATM",
    vnp_OrderInfo: "Thanh toan le phi ho so 261122-ABCDEF-X",
    vnp_PayDate: "20261123003512",
    vnp_ResponseCode: "00",
    vnp_TmnCode: "DVCDEMO1",
    vnp_TransactionNo: "14000001",
    vnp_TransactionStatus: "00",
    vnp_TxnRef: "K7Q2M9X4P1R8T3V6",
  };
  const signed = (p: VnpParams) => new URLSearchParams({ ...p, vnp_SecureHash: signParams(p, SECRET) });
  const without = (key: string) => Object.fromEntries(Object.entries(result).filter(([k]) => k !== key));

  it("accepts the gateway's signed result, with or without the optional fields", () => {
    expect(parseGatewayResult(signed(result), merchant)).toMatchObject({ ok: true, result: { vnp_TxnRef: "K7Q2M9X4P1R8T3V6", vnp_PayDate: "20261123003512" } });
    for (const optional of ["vnp_BankCode", "vnp_BankTranNo", "vnp_CardType", "vnp_OrderInfo"])
      expect(parseGatewayResult(signed(without(optional)), merchant).ok, optional).toBe(true);
    const withType = signed(result);
    withType.append("vnp_SecureHashType", "HmacSHA512");
    withType.append("utm_source", "mail");
    expect(parseGatewayResult(withType, merchant).ok).toBe(true);
  });

  it("refuses the merchant's own signed pay request (request-only fields), however well signed", () => {
    const pay = buildPaymentParams({
      tmnCode: "DVCDEMO1",
      secret: SECRET,
      amountVnd: 150_000,
      txnRef: "K7Q2M9X4P1R8T3V6",
      orderInfo: "Le phi",
      returnUrl: "http://localhost/payments/return",
      ipAddr: "127.0.0.1",
      locale: "vn",
      createdAt: new Date("2026-11-22T17:30:05Z"),
    });
    expect(verifyParams(pay, SECRET)).toBe(true);
    expect(parseGatewayResult(new URLSearchParams(pay), merchant)).toEqual({ ok: false, reason: "request_field" });
    for (const field of [
      "vnp_Command",
      "vnp_ReturnUrl",
      "vnp_CreateDate",
      "vnp_IpAddr",
      "vnp_OrderType",
      "vnp_Locale",
      "vnp_CurrCode",
      "vnp_ExpireDate",
      "vnp_Version",
    ]) {
      expect(parseGatewayResult(signed({ ...result, [field]: "x" }), merchant), field).toEqual({ ok: false, reason: "request_field" });
    }
  });

  it("requires every field the gateway always sends, well formed, and no unknown vnp_ field", () => {
    for (const field of ["vnp_Amount", "vnp_PayDate", "vnp_ResponseCode", "vnp_TmnCode", "vnp_TransactionNo", "vnp_TransactionStatus", "vnp_TxnRef"]) {
      expect(parseGatewayResult(signed(without(field)), merchant), field).toEqual({ ok: false, reason: "malformed" });
    }
    for (const [field, value] of [
      ["vnp_PayDate", "20261131003512"],
      ["vnp_PayDate", "2026112300351"],
      ["vnp_ResponseCode", "0"],
      ["vnp_TransactionStatus", "AB"],
      ["vnp_TransactionNo", "1400000X"],
      ["vnp_TransactionNo", "1".repeat(16)],
      ["vnp_Amount", "-100"],
      ["vnp_Amount", "0150"],
      ["vnp_TmnCode", "DVC"],
      ["vnp_Extra", "1"],
    ] as const) {
      expect(parseGatewayResult(signed({ ...result, [field]: value }), merchant), `${field}=${value}`).toEqual({ ok: false, reason: "malformed" });
    }
    const { vnp_SecureHash: _h, ...unsigned } = Object.fromEntries(signed(result));
    expect(parseGatewayResult(new URLSearchParams(unsigned), merchant)).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses a repeated vnp_ key, another merchant, a bad or upper-case signature", () => {
    const twice = signed(result);
    twice.append("vnp_ResponseCode", "24");
    expect(parseGatewayResult(twice, merchant)).toEqual({ ok: false, reason: "duplicate_field" });
    expect(parseGatewayResult(signed(result), { ...merchant, tmnCode: "OTHER001" })).toEqual({ ok: false, reason: "unknown_merchant" });
    expect(parseGatewayResult(signed(result), { ...merchant, secret: `${SECRET}x` })).toEqual({ ok: false, reason: "bad_signature" });
    const upper = signed(result);
    upper.set("vnp_SecureHash", (upper.get("vnp_SecureHash") ?? "").toUpperCase());
    expect(parseGatewayResult(upper, merchant)).toEqual({ ok: false, reason: "bad_signature" });
    const tampered = signed(result);
    tampered.set("vnp_ResponseCode", "24");
    expect(parseGatewayResult(tampered, merchant)).toEqual({ ok: false, reason: "bad_signature" });
  });
});
