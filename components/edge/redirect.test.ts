import * as assert from "assert";
import * as vm from "vm";
import { EEA_COUNTRY_CODES, viewerRedirectCode } from "./redirect";

interface Response {
  statusCode: number;
  headers: Record<string, { value: string }>;
}

/** Runs the function's code as CloudFront would: a script defining `handler`, given one event. */
function handle(request: Record<string, unknown>): Response | Record<string, unknown> {
  const context = vm.createContext({});
  vm.runInContext(viewerRedirectCode("europe.platform.example.com", EEA_COUNTRY_CODES), context);
  return (context.handler as (e: unknown) => Response)({ request });
}

const request = (country: string | undefined, method = "GET") => ({
  method,
  uri: "/orders/42",
  querystring: {
    page: { value: "2" },
    tag: { value: "a b", multiValue: [{ value: "a b" }, { value: "c" }] },
  },
  headers: country ? { "cloudfront-viewer-country": { value: country } } : {},
});

describe("the viewer redirect to the EU edge", () => {
  it("lists the 30 EEA countries once each, as ISO 3166-1 codes", () => {
    assert.strictEqual(new Set(EEA_COUNTRY_CODES).size, 30);
    for (const code of ["DE", "FR", "IE", "GR", "NO", "IS", "LI"])
      assert.ok(EEA_COUNTRY_CODES.includes(code as never), code);
    for (const code of ["GB", "CH", "US", "EL"])
      assert.ok(!EEA_COUNTRY_CODES.includes(code as never), code);
  });

  it("sends a viewer in the EEA to the same path and query on the EU name", () => {
    const response = handle(request("DE")) as Response;
    assert.strictEqual(response.statusCode, 302);
    assert.strictEqual(
      response.headers.location.value,
      "https://europe.platform.example.com/orders/42?page=2&tag=a%20b&tag=c",
    );
    assert.strictEqual(response.headers["cache-control"].value, "no-store");
  });

  it("keeps the method of a write (307)", () => {
    assert.strictEqual((handle(request("NO", "POST")) as Response).statusCode, 307);
  });

  it("passes other viewers, and requests without the header, through unchanged", () => {
    for (const r of [request("US"), request("GB"), request(undefined)]) {
      assert.strictEqual(handle(r), r);
    }
  });
});
