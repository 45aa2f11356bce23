/** What a new order may be: the initial state, an allowed currency with its minor units, an amount above the minimum. */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { buildApp, Lifecycle } from "../../functions/aws/orders/app";
import {
  compareAmounts,
  currencyListProblem,
  FUND_CODES,
  ISO_4217_PUBLISHED,
  minorUnits,
  LISTABLE_CURRENCIES,
  ORDER_CURRENCIES,
} from "../../functions/aws/orders/currencies";
import { serviceMetrics } from "../../functions/aws/orders/metrics";
import { FakeIntake } from "./support/fakeIntake";
import { FakeOrderStore } from "./support/fakeOrderStore";
import { TestIssuer, withToken } from "./support/testIssuer";

describe("order currencies (ISO 4217 allowlist)", () => {
  it("holds the active currencies with at most 2 minor units, without funds or X-codes; a stack may list the national X-codes", () => {
    for (const code of ["EUR", "USD", "GBP", "CHF", "ZWG", "VED"])
      expect(ORDER_CURRENCIES.has(code), code).to.equal(true);
    for (const code of ["XOF", "XAF", "XCD", "XPF"]) {
      expect(ORDER_CURRENCIES.has(code), code).to.equal(false);
      expect(LISTABLE_CURRENCIES.get(code), code).to.equal(code === "XCD" ? 2 : 0);
    }
    expect(currencyListProblem(["EUR", "XOF"])).to.equal(undefined);
    expect(ORDER_CURRENCIES.get("JPY")).to.equal(0);
    expect(ORDER_CURRENCIES.get("EUR")).to.equal(2);
    for (const code of [
      "XXX",
      "XTS",
      "XAU",
      "XAG",
      "XPT",
      "XPD",
      "XDR",
      "XSU",
      "XUA",
      "XBA",
      "BHD",
      "KWD",
      "OMR",
      "TND",
      "CLF",
      "UYW",
      "BOV",
      "USN",
      "HRK",
      "ABC",
    ])
      expect(ORDER_CURRENCIES.has(code), code).to.equal(false);
    expect(ISO_4217_PUBLISHED).to.match(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("names as funds exactly what the ISO list the package ships marks IsFund", () => {
    const xml = readFileSync(require.resolve("currency-codes/iso-4217-list-one.xml"), "utf8");
    const funds = [...xml.matchAll(/<CcyNtry>((?:(?!<\/CcyNtry>)[\s\S])*)<\/CcyNtry>/g)]
      .map((m) => m[1])
      .filter((entry) => /IsFund="true"/.test(entry))
      .map((entry) => /<Ccy>([A-Z]{3})<\/Ccy>/.exec(entry)![1]);
    expect([...new Set(funds)].sort()).to.deep.equal([...FUND_CODES].sort());
  });

  it("checks a narrowing list and compares amounts exactly (property: the order of minor units)", () => {
    expect(currencyListProblem(["EUR", "USD"])).to.equal(undefined);
    expect(currencyListProblem([])).to.equal("is empty; name at least one currency");
    expect(currencyListProblem(["EUR", "KWD", "XXX"])).to.equal(
      "KWD, XXX are not currencies orders may be in (active ISO 4217, no funds or metals, at most 2 minor units)",
    );
    expect(currencyListProblem(["EUR", "EUR"])).to.equal("names a currency twice");
    expect(currencyListProblem(["EUR", "XAU"])).to.equal(
      "XAU is not a currency orders may be in (active ISO 4217, no funds or metals, at most 2 minor units)",
    );
    expect([compareAmounts("1", "1.00"), compareAmounts("1.01", "1"), compareAmounts("0.99", "1")]).to.deep.equal([
      0, 1, -1,
    ]);
    expect(minorUnits("125.5", 2)).to.equal(12550n);
    expect(minorUnits("125.5", 0)).to.equal(undefined);
    expect(minorUnits("999999999999.99", 2)).to.equal(99999999999999n);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 99999999999999n }),
        fc.bigInt({ min: 0n, max: 99999999999999n }),
        (a, b) => {
          const text = (n: bigint) => `${n / 100n}.${String(n % 100n).padStart(2, "0")}`;
          expect(compareAmounts(text(a), text(b))).to.equal(a < b ? -1 : a > b ? 1 : 0);
        },
      ),
    );
  });
});

describe("a new order's rules over HTTP", () => {
  let issuer: TestIssuer;
  let token: string;
  let intake: FakeIntake;
  let app: FastifyInstance;
  const body = { amount: "10.00", currency: "EUR", orderDate: "2026-11-02" };
  before(async () => {
    issuer = await TestIssuer.create();
    token = await issuer.customer("C-1");
  });
  const start = async (rules?: Parameters<typeof buildApp>[0]["rules"]) => {
    const store = new FakeOrderStore();
    intake = new FakeIntake();
    app = buildApp({
      store,
      intake,
      lifecycle: Object.assign(new Lifecycle(), { started: true }),
      auth: issuer.auth(),
      metrics: serviceMetrics(() => store.stats(), { processMetrics: false }),
      rules,
    });
    await app.ready();
  };
  afterEach(() => app.close());
  const post = (payload: object, key = "key-00000001") =>
    app.inject(withToken({ method: "POST", url: "/orders", payload, headers: { "idempotency-key": key } }, token));

  const refused: Array<[string, object, string, string]> = [
    ["a refunded create", { status: "refunded" }, "body.status", "body.status refunded: a new order starts pending"],
    ["a paid create", { status: "paid" }, "body.status", "body.status paid: a new order starts pending"],
    ["a zero amount", { amount: "0" }, "body.amount", "body.amount 0 is below the minimum order amount 0.01"],
    ["XXX (no currency)", { currency: "XXX" }, "body.currency", "body.currency XXX is not a currency orders may be in"],
    ["gold", { currency: "XAU" }, "body.currency", "body.currency XAU is not a currency"],
    [
      "a CFA franc (an X-code: listed by a stack, or refused)",
      { currency: "XOF" },
      "body.currency",
      "body.currency XOF is not a currency",
    ],
    ["a 3-decimal currency", { currency: "KWD" }, "body.currency", "body.currency KWD is not a currency"],
    ["a fund code", { currency: "USN" }, "body.currency", "body.currency USN is not a currency"],
    [
      "yen with sen",
      { currency: "JPY", amount: "125.50" },
      "body.amount",
      "body.amount 125.50 has more decimal places than JPY has (0)",
    ],
  ];
  for (const [what, change, field, says] of refused) {
    it(`refuses ${what} (400 naming ${field}), publishing nothing`, async () => {
      await start();
      const res = await post({ ...body, ...change });
      expect(res.statusCode, res.body).to.equal(400);
      expect(res.json().field).to.equal(field);
      expect(res.json().message).to.contain(says);
      expect(intake.published).to.deep.equal([]);
    });
  }

  it("accepts pending, whole yen, and the stack's narrowing and minimum", async () => {
    await start();
    expect((await post({ ...body, status: "pending" })).statusCode).to.equal(202);
    expect((await post({ ...body, currency: "JPY", amount: "1250" }, "key-00000002")).statusCode).to.equal(202);
    await app.close();
    await start({
      currencies: new Map([
        ["EUR", 2],
        ["XOF", 0],
      ]),
      minimumAmount: "5.00",
    });
    expect((await post({ ...body, currency: "XOF", amount: "5000" }, "key-00000004")).statusCode).to.equal(202);
    expect((await post({ ...body, amount: "5" }, "key-00000003")).statusCode).to.equal(202);
    const low = await post({ ...body, amount: "4.99" });
    expect(low.json().message).to.equal("body.amount 4.99 is below the minimum order amount 5.00");
    const usd = await post({ ...body, currency: "USD" });
    expect(usd.json().message).to.equal("body.currency USD is not one of EUR, XOF");
  });
});
