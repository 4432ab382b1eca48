/**
 * Sends viewers in Europe from the default distribution to their region's edge: a CloudFront
 * Function (viewer request, cloudfront-js-2.0) that answers viewers whose CloudFront-Viewer-Country
 * is in the table with a redirect to the same path on the EU name. CloudFront picks a distribution
 * by the request's Host, so DNS cannot split one name between two distributions (docs/components/edge.md).
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/example-function-redirect-url.html
 */

/**
 * The European Economic Area as ISO 3166-1 alpha-2 codes (what CloudFront-Viewer-Country holds):
 * the 27 EU member states (the United Kingdom left on 2020-01-31) and the three EEA EFTA states,
 * Iceland, Liechtenstein and Norway ("The EEA includes the EU Member States plus three countries
 * which are not in the EU: Norway, Iceland and Liechtenstein", tutor2u, European Economic Area,
 * read 2026-12-05). Greece is GR in ISO 3166-1 (the EU's own code is EL).
 */
export const EEA_COUNTRY_CODES = [
  "AT",
  "BE",
  "BG",
  "HR",
  "CY",
  "CZ",
  "DK",
  "EE",
  "FI",
  "FR",
  "DE",
  "GR",
  "HU",
  "IE",
  "IT",
  "LV",
  "LT",
  "LU",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SK",
  "SI",
  "ES",
  "SE",
  "IS",
  "LI",
  "NO",
] as const;

/**
 * The function's code. Reads keep their method on the new name (302 for GET and HEAD, 307 for the
 * rest, which repeats the method and body); the query string is carried over re-encoded. Viewers
 * elsewhere, or without the header, pass through unchanged.
 */
export function viewerRedirectCode(targetHost: string, countryCodes: readonly string[]): string {
  const table = JSON.stringify(Object.fromEntries(countryCodes.map((c) => [c, true])));
  return `var COUNTRIES = ${table};
var TARGET = ${JSON.stringify(`https://${targetHost}`)};

function query(querystring) {
  var parts = [];
  Object.keys(querystring).forEach(function (key) {
    var entry = querystring[key];
    var values = entry.multiValue ? entry.multiValue : [entry];
    values.forEach(function (v) {
      parts.push(encodeURIComponent(key) + (v.value === "" ? "" : "=" + encodeURIComponent(v.value)));
    });
  });
  return parts.length > 0 ? "?" + parts.join("&") : "";
}

function handler(event) {
  var request = event.request;
  var country = request.headers["cloudfront-viewer-country"];
  if (!country || !COUNTRIES[country.value]) {
    return request;
  }
  var read = request.method === "GET" || request.method === "HEAD";
  return {
    statusCode: read ? 302 : 307,
    statusDescription: read ? "Found" : "Temporary Redirect",
    headers: {
      location: { value: TARGET + request.uri + query(request.querystring) },
      "cache-control": { value: "no-store" },
    },
  };
}
`;
}
