/**
 * The device side of digest auth (simulator/digest-check.ts), used by the simulated meter and the
 * fake one, against the real exchange captured from a Shelly Plus 1PM
 * (fixtures/shelly/auth_digest_http_test_vector.json, auth_401_challenge_http.txt).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkDigest, expectedResponse, parseAuthorization } from "../../simulator/digest-check.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/shelly/${name}`, import.meta.url), "utf8");
const vector = JSON.parse(fixture("auth_digest_http_test_vector.json")) as Record<string, string>;
/** The `Authorization` header curl sent in the accepted request of the transcript. */
const curlHeader = fixture("auth_401_challenge_http.txt")
  .split("\n")
  .find((l) => l.startsWith("> Authorization:"))!
  .slice("> Authorization:".length)
  .trim();

const request = { method: vector.method!, url: vector.uri! };
const device = { realm: vector.realm!, password: vector.password! };

describe("digest check (device side)", () => {
  it("computes the response the real device accepted", () => {
    expect(
      expectedResponse({
        realm: vector.realm!,
        password: vector.password!,
        method: vector.method!,
        uri: vector.uri!,
        nonce: vector.nonce!,
        nc: vector.nc!,
        cnonce: vector.cnonce!,
      }),
    ).toBe(vector.response);
  });

  it("reads curl's header (unquoted nc and qop, Base64 cnonce with '=') and accepts it", () => {
    const a = parseAuthorization(curlHeader)!;
    expect(a).toMatchObject({
      username: "admin",
      nonce: "603",
      nc: "00000001",
      qop: "auth",
      cnonce: vector.cnonce,
      response: vector.response,
    });
    expect(checkDigest(a, request, device)).toBe("ok");
  });

  it("refuses a wrong response and a wrong password as a wrong response", () => {
    const a = parseAuthorization(curlHeader)!;
    const flipped = a.response!.replace(/^./, (c) => (c === "0" ? "1" : "0"));
    expect(checkDigest({ ...a, response: flipped }, request, device)).toBe("wrong-response");
    expect(checkDigest(a, request, { ...device, password: "tesT" })).toBe("wrong-response");
  });

  it("refuses a header that is not this request's or not well-formed", () => {
    const a = parseAuthorization(curlHeader)!;
    expect(checkDigest(a, { ...request, method: "POST" }, device)).toBe("wrong-response");
    expect(checkDigest(a, { ...request, url: "/rpc/Shelly.GetConfig" }, device)).toBe("malformed");
    expect(checkDigest(a, request, { ...device, realm: "shellypro3em-other" })).toBe("malformed");
    expect(checkDigest({ ...a, username: "root" }, request, device)).toBe("malformed");
    expect(checkDigest({ ...a, nc: "1" }, request, device)).toBe("malformed");
    expect(checkDigest({ ...a, qop: "auth-int" }, request, device)).toBe("malformed");
    expect(parseAuthorization("Basic YWRtaW46dGVzdA==")).toBeUndefined();
    expect(parseAuthorization(undefined)).toBeUndefined();
  });
});
