/** SHELLY_METERS parsed: roles, URLs, channels, passwords, and every mistake named with a fix. */
import { describe, expect, it } from "vitest";
import { METERS_EXAMPLE, parseMeters } from "../../../src/sources/shelly/meters.ts";

describe("parseMeters", () => {
  it("reads role=url[#channel] items, the heatpump meter first, trailing slashes and blanks dropped", () => {
    expect(
      parseMeters(
        " backup=http://192.168.1.21/#em1:1 , heatpump=http://192.168.1.20,, pumps=http://h3#switch:0",
      ),
    ).toEqual({
      meters: [
        { role: "heatpump", url: "http://192.168.1.20", channel: undefined, password: undefined },
        {
          role: "backup",
          url: "http://192.168.1.21",
          channel: { component: "em1", id: 1 },
          password: undefined,
        },
        { role: "pumps", url: "http://h3", channel: { component: "switch", id: 0 }, password: undefined },
      ],
      problems: [],
    });
  });

  it("a password in the URL is that meter's, percent-decoded (a comma as %2C, a # as %23)", () => {
    const { meters } = parseMeters("heatpump=http://admin:a%2Cb%23c@10.0.0.2#em:0");
    expect(meters[0]).toEqual({
      role: "heatpump",
      url: "http://admin:a%2Cb%23c@10.0.0.2",
      channel: { component: "em", id: 0 },
      password: "a,b#c",
    });
  });

  it.each([
    ["http://192.168.1.20", `"http://192.168.1.20" names no role; write role=url, e.g. ${METERS_EXAMPLE}`],
    [
      "heatpump=http://a,boiler=http://b",
      `"boiler=http://b": unknown role "boiler"; roles are heatpump, backup, pumps, house, e.g. ${METERS_EXAMPLE}`,
    ],
    [
      "heatpump=192.168.1.20",
      `"heatpump=192.168.1.20": "192.168.1.20" is not an http(s) URL, e.g. ${METERS_EXAMPLE}`,
    ],
    [
      "heatpump=http://a,backup=http://b#em1",
      `"backup=http://b#em1": channel "em1" is not em:0, em1:<id> or switch:<id> ` +
        "(e.g. backup=http://b#em1:1 for a Pro EM's second channel, #switch:0 for a 1PM)",
    ],
    [
      "heatpump=http://a#em:1",
      `"heatpump=http://a#em:1": channel "em:1" is not em:0, em1:<id> or switch:<id> ` +
        "(e.g. heatpump=http://a#em1:1 for a Pro EM's second channel, #switch:0 for a 1PM)",
    ],
    [
      "heatpump=http://a,backup=http://b,backup=http://c",
      `role backup is given twice; one meter per role, e.g. ${METERS_EXAMPLE}`,
    ],
    [
      "backup=http://b#switch:0",
      "no heatpump meter: the heat pump's own meter is required (every COP needs it), " +
        `e.g. ${METERS_EXAMPLE}`,
    ],
  ])("%s: one problem naming the item and a fix", (value, problem) => {
    expect(parseMeters(value).problems).toEqual([problem]);
  });

  it("the example it gives is itself valid", () => {
    const { meters, problems } = parseMeters(METERS_EXAMPLE.slice("SHELLY_METERS=".length));
    expect(problems).toEqual([]);
    expect(meters.map((m) => m.role)).toEqual(["heatpump", "backup"]);
  });
});
