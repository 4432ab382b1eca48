/** A syntactically valid PEM public key block (random bytes, not a key anyone holds): a signer. */
export const TEST_SIGNING_PUBLIC_KEY = [
  "-----BEGIN PUBLIC KEY-----",
  "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaW1hZ2Utc2lnbmluZy10ZXN0LWtleS1ub3QtYS1y",
  "ZWFsLWtleS0wMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OQ==",
  "-----END PUBLIC KEY-----",
].join("\n");
