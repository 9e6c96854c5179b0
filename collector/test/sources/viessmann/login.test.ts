import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { networkInterfaces } from "node:os";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { LoginError, codeFromRedirect, runLogin } from "../../../src/sources/viessmann/login.ts";
import { tokenFilePath } from "../../../src/sources/viessmann/token-store.ts";
import { type FakeViessmann, startFakeViessmann } from "../../fakes/viessmann-api.ts";
import { fakeClock, testConfig, tmpDataDir } from "./helpers.ts";

let fake: FakeViessmann | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** This machine's IPv4 addresses other than loopback (none in some sandboxes). */
const externalIPv4 = () =>
  Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === "IPv4" && !a.internal)
    .map((a) => a!.address);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Waits until the login printed `line`. */
async function printed(lines: string[], line: string): Promise<void> {
  for (let i = 0; i < 200 && !lines.includes(line); i++) await new Promise((r) => setTimeout(r, 10));
  expect(lines).toContain(line);
}

/** Waits until the login printed its authorize URL and returns it. */
async function authorizeUrlFrom(lines: string[]): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const l = lines.find((x) => x.includes("/idp/v3/authorize?"));
    if (l) return l.trim();
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("no authorize URL printed");
}

/** What the user's browser does: log in, and get redirected (we read the Location). */
async function browserLogin(authorizeUrl: string): Promise<string> {
  const res = await fetch(authorizeUrl, { redirect: "manual" });
  expect(res.status).toBe(302);
  return res.headers.get("location")!;
}

describe("npm run login", () => {
  it("PKCE S256 with the local listener: tokens written, mode 0600, nothing secret printed", async () => {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/`;
    fake = await startFakeViessmann({ redirectUris: [redirectUri] });
    const dataDir = tmpDataDir();
    const lines: string[] = [];
    const done = runLogin({
      config: testConfig(fake, { redirectUri }),
      dataDir,
      input: new PassThrough(),
      print: (l) => lines.push(l),
    });
    const url = new URL(await authorizeUrlFrom(lines));
    expect(url.searchParams.get("scope")).toBe("IoT User offline_access");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toBe(redirectUri);
    const location = await browserLogin(url.toString());
    const page = await (await fetch(location)).text(); // the browser lands on our listener
    expect(page).toContain("Login received");
    const path = await done;
    expect(path).toBe(tokenFilePath(dataDir));
    const file = JSON.parse(readFileSync(path, "utf8"));
    expect(file.refresh_token).toBe(fake.validRefreshToken());
    expect(file.client_id).toBe("test-client");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const printed = lines.join("\n");
    expect(printed).toContain("Logged in");
    expect(printed).not.toContain(file.refresh_token);
    expect(printed).not.toContain(file.access_token);
  });

  it("the listener is on loopback only, and a request without the issued state cannot abort the login", async () => {
    const port = await freePort();
    const redirectUri = `http://localhost:${port}/`;
    fake = await startFakeViessmann({ redirectUris: [redirectUri] });
    const lines: string[] = [];
    const done = runLogin({
      config: testConfig(fake, { redirectUri }),
      dataDir: tmpDataDir(),
      input: new PassThrough(),
      print: (l) => lines.push(l),
    });
    const url = await authorizeUrlFrom(lines);
    await printed(lines, `(waiting for the browser on 127.0.0.1:${port} and [::1]:${port})`);
    // Not reachable on any other address: 127.0.0.2 (loopback, but not bound) and the LAN ones.
    for (const address of ["127.0.0.2", ...externalIPv4()])
      await expect(fetch(`http://${address}:${port}/?code=x`), address).rejects.toThrow();
    // Stray requests: no state, a foreign state, an error without state. Each is answered and ignored.
    for (const query of ["error=access_denied", "code=forged", "code=forged&state=not-ours"]) {
      const res = await fetch(`http://127.0.0.1:${port}/?${query}`);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("not part of it and was ignored");
    }
    const page = await (await fetch(await browserLogin(url))).text();
    expect(page).toContain("Login received");
    await done; // the stray requests did not abort it
  });

  it("a 127.0.0.1 redirect URI: the listener is on 127.0.0.1 only, never on every address", async () => {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/`;
    fake = await startFakeViessmann({ redirectUris: [redirectUri] });
    const lines: string[] = [];
    const done = runLogin({
      config: testConfig(fake, { redirectUri }),
      dataDir: tmpDataDir(),
      input: new PassThrough(),
      print: (l) => lines.push(l),
    });
    const url = await authorizeUrlFrom(lines);
    await printed(lines, `(waiting for the browser on 127.0.0.1:${port})`);
    // 127.0.0.2 is loopback too, but a listener bound to 127.0.0.1 alone does not answer there (one
    // on 0.0.0.0 would, and so would the LAN addresses).
    for (const address of ["127.0.0.2", ...externalIPv4()])
      await expect(fetch(`http://${address}:${port}/?code=x`), address).rejects.toThrow();
    const page = await (await fetch(await browserLogin(url))).text();
    expect(page).toContain("Login received");
    await done;
  });

  it("VIESSMANN_LOGIN_LISTEN=0.0.0.0 listens beyond loopback (a container's published port)", async () => {
    const port = await freePort();
    const redirectUri = `http://localhost:${port}/`;
    fake = await startFakeViessmann({ redirectUris: [redirectUri] });
    const lines: string[] = [];
    const done = runLogin({
      config: testConfig(fake, { redirectUri, loginListen: "0.0.0.0" }),
      dataDir: tmpDataDir(),
      input: new PassThrough(),
      print: (l) => lines.push(l),
    });
    const location = new URL(await browserLogin(await authorizeUrlFrom(lines)));
    await printed(lines, `(waiting for the browser on 0.0.0.0:${port})`);
    // Docker's port forwarding arrives on the container's own address, not on 127.0.0.1.
    const page = await (await fetch(`http://127.0.0.2:${port}${location.pathname}${location.search}`)).text();
    expect(page).toContain("Login received");
    await done;
  });

  it("headless: the pasted redirect URL is accepted and exchanged at once", async () => {
    const clock = fakeClock(Date.UTC(2026, 10, 27, 8));
    fake = await startFakeViessmann({ clock });
    const dataDir = tmpDataDir();
    const input = new PassThrough();
    const lines: string[] = [];
    const done = runLogin({
      config: testConfig(fake),
      dataDir,
      input,
      print: (l) => lines.push(l),
      listen: false,
      clock,
    });
    const location = await browserLogin(await authorizeUrlFrom(lines));
    expect(location.startsWith("http://localhost:4200/?code=")).toBe(true);
    input.write("not an address\n");
    input.write(`  ${location}  \n`);
    await done;
    const file = JSON.parse(readFileSync(tokenFilePath(dataDir), "utf8"));
    expect(file.refresh_token).toBe(fake.validRefreshToken());
    expect(file.access_expires_at_ms).toBe(clock.now() + 3600_000);
    expect(lines.join("\n")).toContain("No code in that address");
  });

  it("a code pasted too late (codes live ~20 s) fails with a clear message", async () => {
    const clock = fakeClock(Date.UTC(2026, 10, 27, 8));
    fake = await startFakeViessmann({ clock });
    const input = new PassThrough();
    const lines: string[] = [];
    const done = runLogin({
      config: testConfig(fake),
      dataDir: tmpDataDir(),
      input,
      print: (l) => lines.push(l),
      listen: false,
    });
    const location = await browserLogin(await authorizeUrlFrom(lines));
    clock.advance(30_000);
    input.write(location + "\n");
    await expect(done).rejects.toThrow(/rejected the grant .*npm run login/);
  });

  it("explains redirect URI mismatch, unregistered client, reCAPTCHA and foreign state", () => {
    const redirect = "http://localhost:4200/";
    const err = (q: string) => {
      try {
        codeFromRedirect(`${redirect}?${q}`, "s1", redirect);
      } catch (e) {
        expect(e).toBeInstanceOf(LoginError);
        return (e as Error).message;
      }
      throw new Error("no error");
    };
    expect(err("error=invalid_request&error_description=Invalid+redirection+URI.")).toMatch(
      /VIESSMANN_REDIRECT_URI \(http:\/\/localhost:4200\/\) must match .* trailing slash/,
    );
    expect(err("error=unauthorized_client&error_description=Client+not+registered.")).toMatch(
      /VIESSMANN_CLIENT_ID.*up to an hour/,
    );
    expect(err("error=access_denied&error_description=reCAPTCHA+validation+failed")).toMatch(
      /disable Google reCAPTCHA/,
    );
    expect(err("code=abc&state=other")).toMatch(/another login attempt/);
    expect(codeFromRedirect(`${redirect}?code=abc&state=s1`, "s1", redirect)).toBe("abc");
    expect(codeFromRedirect("code=abc", "s1", redirect)).toBe("abc");
    expect(codeFromRedirect("hello", "s1", redirect)).toBeUndefined();
  });

  it("an unregistered client at the token endpoint says what to do", async () => {
    fake = await startFakeViessmann();
    const input = new PassThrough();
    const lines: string[] = [];
    const done = runLogin({
      config: testConfig(fake, { clientId: "new-client" }),
      dataDir: tmpDataDir(),
      input,
      print: (l) => lines.push(l),
      listen: false,
    });
    await authorizeUrlFrom(lines);
    // The hints before the login: each error's name once, then what to do (nothing said twice).
    const hints = lines.slice(lines.findIndex((l) => l.startsWith("If the Viessmann page")) + 1);
    expect(hints.slice(0, 3)).toEqual([
      '   "Client not registered": check VIESSMANN_CLIENT_ID against the developer portal; ' +
        "a newly created client can take up to an hour before it works",
      '   "Invalid redirection URI": VIESSMANN_REDIRECT_URI (http://localhost:4200/) ' +
        "must match a redirect URI registered on the client byte for byte, trailing slash included",
      "   a reCAPTCHA that fails: disable Google reCAPTCHA on the client in the developer portal",
    ]);
    const state = new URL(lines.find((l) => l.includes("authorize?"))!.trim()).searchParams.get("state");
    input.write(`http://localhost:4200/?code=whatever&state=${state}\n`);
    await expect(done).rejects.toThrow(/Client not registered.*VIESSMANN_CLIENT_ID.*up to an hour/);
  });
});
