/**
 * The device side of Shelly Gen2 RPC over HTTP (simulator/shelly-http.ts) that the simulated meter and
 * the fake one share: routing, answer shapes and the 401/stale/429 flow, on a one-method device.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { expectedResponse } from "../../simulator/digest-check.ts";
import { type ShellyDevice, type ShellyHttp, shellyHttp } from "../../simulator/shelly-http.ts";

const ID = "shellypro3em-0123456789ab";
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function start(o: Partial<ShellyDevice> = {}): Promise<{ url: string; http: ShellyHttp }> {
  const http = shellyHttp({
    id: ID,
    call: (method, params) =>
      method === "Shelly.GetDeviceInfo"
        ? { result: { id: ID } }
        : method === "Echo.Get"
          ? params.id === 7
            ? { error: { code: -105, message: "Argument 'id', value 7 not found!" } }
            : { result: params }
          : { error: { code: 404, message: `No handler for ${method}` } },
    ...o,
  });
  server = createServer((req, res) => void http.handle(req, res));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, http };
}

const answer = async (r: Promise<Response>) => {
  const res = await r;
  return { status: res.status, text: await res.text() };
};

/** The Authorization header for `path` against the challenge in `res`. */
function authorization(res: Response, path: string, password: string, nc: number): string {
  const nonce = /nonce="([^"]+)"/.exec(res.headers.get("www-authenticate")!)![1]!;
  const p = { realm: ID, password, method: "GET", uri: path, nonce, nc: nc.toString(16).padStart(8, "0") };
  const response = expectedResponse({ ...p, cnonce: "c" });
  return (
    `Digest username="admin", realm="${ID}", nonce="${nonce}", uri="${path}", cnonce="c", ` +
    `nc=${p.nc}, qop=auth, response="${response}", algorithm=SHA-256`
  );
}

describe("Shelly RPC over HTTP (device side)", () => {
  it("answers bare results and errors on /rpc/<Method>, with numbers from the query as numbers", async () => {
    const { url } = await start();
    expect(await answer(fetch(`${url}/rpc/Echo.Get?id=2&name=x`))).toEqual({
      status: 200,
      text: '{"id":2,"name":"x"}',
    });
    expect(await answer(fetch(`${url}/rpc/Echo.Get`, { method: "POST", body: '{"id":3}' }))).toEqual({
      status: 200,
      text: '{"id":3}',
    });
    expect(await answer(fetch(`${url}/rpc/Echo.Get?id=7`))).toEqual({
      status: 500,
      text: '{"code":-105,"message":"Argument \'id\', value 7 not found!"}',
    });
    expect((await answer(fetch(`${url}/rpc/Nope.Get`))).status).toBe(404);
    expect(await answer(fetch(`${url}/shelly`))).toEqual({ status: 200, text: `{"id":"${ID}"}` });
    expect(await answer(fetch(`${url}/elsewhere`))).toEqual({ status: 404, text: "" });
  });

  it("answers a POST /rpc frame with a frame, HTTP 200 even for an error; bad JSON is a 400", async () => {
    const { url } = await start();
    const post = (body: string) => answer(fetch(`${url}/rpc`, { method: "POST", body }));
    expect(await post('{"id":5,"method":"Echo.Get","params":{"id":1}}')).toEqual({
      status: 200,
      text: `{"id":5,"src":"${ID}","result":{"id":1}}`,
    });
    expect(await post('{"id":6,"method":"Echo.Get","params":{"id":7}}')).toEqual({
      status: 200,
      text: `{"id":6,"src":"${ID}","error":{"code":-105,"message":"Argument 'id', value 7 not found!"}}`,
    });
    expect(await post("{not json")).toEqual({ status: 400, text: '{"code":-103,"message":"Invalid JSON"}' });
  });

  it("with a password: 401 challenge, nonce reuse with rising nc, stale=true once expired", async () => {
    const { url, http } = await start({ password: "pw" });
    const path = "/rpc/Echo.Get?id=1";
    expect((await fetch(`${url}/rpc/Shelly.GetDeviceInfo`)).status).toBe(200); // never behind auth
    const first = await fetch(url + path);
    expect(first.status).toBe(401);
    expect(first.headers.get("www-authenticate")).toMatch(
      new RegExp(`^Digest qop="auth", realm="${ID}", nonce="[A-Za-z0-9+/]{22}==", algorithm=SHA-256$`),
    );
    const get = (auth: string) => fetch(url + path, { headers: { authorization: auth } });
    expect((await get(authorization(first, path, "pw", 1))).status).toBe(200);
    expect((await get(authorization(first, path, "pw", 2))).status).toBe(200);
    expect((await get(authorization(first, path, "pw", 2))).status).toBe(401); // nc did not rise
    const wrong = await get(authorization(first, path, "not-pw", 3));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).not.toContain("stale");
    http.expireNonces();
    const stale = await get(authorization(first, path, "pw", 4));
    expect(stale.status).toBe(401);
    expect(stale.headers.get("www-authenticate")).toMatch(/, stale=true$/);
    expect((await get(authorization(stale, path, "pw", 1))).status).toBe(200);
    expect(http.stats).toEqual({ challenges: 4, authFailures: 1, throttled: 0 });
  });

  it("a full nonce table (throttle) answers 429", async () => {
    const { url, http } = await start({ password: "pw", nonces: { slots: 2 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${url}/rpc/Echo.Get`)).status);
    expect(statuses).toEqual([401, 401, 429]);
    expect(await (await fetch(`${url}/rpc/Echo.Get`)).json()).toEqual({
      code: 429,
      message: "Too many requests",
    });
    expect(http.stats).toMatchObject({ challenges: 2, throttled: 2 });
  });
});
