import { describe, expect, it } from "vitest";
import { withoutCredentials } from "../src/url-credentials.ts";

describe("credentials in a URL", () => {
  it("shows a URL without its credentials", () => {
    expect(withoutCredentials("http://me:p%40ss@nas:8086")).toBe("http://nas:8086");
    expect(withoutCredentials("http://me:pw@nas:8086/influx/")).toBe("http://nas:8086/influx/");
    expect(withoutCredentials("http://nas:8086")).toBe("http://nas:8086");
    expect(withoutCredentials("not a url")).toBe("not a url");
  });
});
