import { describe, expect, it } from "vitest";
import { csvField, encodeResult, formatFloat, formatTime } from "../helpers/flux-stand-in/annotated-csv.ts";
import {
  ConstColumn,
  ValuesColumn,
  type ColMeta,
  type Table,
  type Value,
} from "../helpers/flux-stand-in/table.ts";

const S = 1_000_000_000n;

/** A table with _start/_stop and a tag in the key, _time and _value as data. */
function table(tag: string, valueType: ColMeta["type"], rows: [bigint, Value][]): Table {
  const cols: ColMeta[] = [
    { label: "_start", type: "time" },
    { label: "_stop", type: "time" },
    { label: "_time", type: "time" },
    { label: "_value", type: valueType },
    { label: "host", type: "string" },
  ];
  const n = rows.length;
  return {
    key: { cols: [cols[0] as ColMeta, cols[1] as ColMeta, cols[4] as ColMeta], values: [0n, 10n * S, tag] },
    cols,
    columns: [
      new ConstColumn(0n, n),
      new ConstColumn(10n * S, n),
      new ValuesColumn(rows.map((r) => r[0])),
      new ValuesColumn(rows.map((r) => r[1])),
      new ConstColumn(tag, n),
    ],
    length: n,
  };
}

const body = (tables: Table[], error?: string, errorAfterRows?: number) =>
  [
    ...encodeResult(
      tables,
      error === undefined ? undefined : { message: error },
      errorAfterRows === undefined ? {} : { errorAfterRows },
    ),
  ].join("");

describe("annotated CSV values", () => {
  it("prints times like Go's RFC3339Nano: UTC, nanoseconds with trailing zeros trimmed", () => {
    expect(formatTime(0n)).toBe("1970-01-01T00:00:00Z");
    expect(formatTime(1_774_742_400_500_000_000n)).toBe("2026-03-29T00:00:00.5Z");
    expect(formatTime(1_774_742_400_000_000_123n)).toBe("2026-03-29T00:00:00.000000123Z");
    expect(formatTime(1_774_742_400_120_000_000n)).toBe("2026-03-29T00:00:00.12Z");
    expect(formatTime(-1n)).toBe("1969-12-31T23:59:59.999999999Z");
  });

  it("prints floats like strconv.FormatFloat(f, 'f', -1, 64): shortest digits, no exponent", () => {
    expect(formatFloat(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(formatFloat(1e21)).toBe("1000000000000000000000");
    expect(formatFloat(1.5e-7)).toBe("0.00000015");
    expect(formatFloat(-2.5e22)).toBe("-25000000000000000000000");
    expect(formatFloat(-0)).toBe("-0");
    expect(formatFloat(42)).toBe("42");
  });

  it("quotes fields like Go's encoding/csv", () => {
    expect(csvField("plain", ",")).toBe("plain");
    expect(csvField('say "hi"', ",")).toBe('"say ""hi"""');
    expect(csvField("a,b", ",")).toBe('"a,b"');
    expect(csvField(" lead", ",")).toBe('" lead"');
    expect(csvField("two\nlines", ",")).toBe('"two\r\nlines"');
    expect(csvField("", ",")).toBe("");
  });
});

describe("annotated CSV tables", () => {
  it(
    "continues a block while the schema stays, starts a new one when it changes, " +
      "ends with the result delimiter",
    () => {
      const csv = body([
        table("a", "float", [[1n * S, 1.5]]),
        table("b", "float", [[2n * S, 2]]),
        table("c", "int", [[3n * S, 7n]]),
      ]);
      expect(csv).toBe(
        "#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string\r\n" +
          "#group,false,false,true,true,false,false,true\r\n" +
          "#default,_result,,,,,,\r\n" +
          ",result,table,_start,_stop,_time,_value,host\r\n" +
          ",,0,1970-01-01T00:00:00Z,1970-01-01T00:00:10Z,1970-01-01T00:00:01Z,1.5,a\r\n" +
          ",,1,1970-01-01T00:00:00Z,1970-01-01T00:00:10Z,1970-01-01T00:00:02Z,2,b\r\n" +
          "\r\n" +
          "#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,long,string\r\n" +
          "#group,false,false,true,true,false,false,true\r\n" +
          "#default,_result,,,,,,\r\n" +
          ",result,table,_start,_stop,_time,_value,host\r\n" +
          ",,2,1970-01-01T00:00:00Z,1970-01-01T00:00:10Z,1970-01-01T00:00:03Z,7,c\r\n" +
          "\r\n",
      );
    },
  );

  it("writes an empty table as its own block whose #default row carries the table id and key values", () => {
    const csv = body([table("a", "float", []), table("b", "float", [[1n * S, null]])]);
    expect(csv).toBe(
      "#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string\r\n" +
        "#group,false,false,true,true,false,false,true\r\n" +
        "#default,_result,0,1970-01-01T00:00:00Z,1970-01-01T00:00:10Z,,,a\r\n" +
        ",result,table,_start,_stop,_time,_value,host\r\n" +
        "\r\n" +
        "#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string\r\n" +
        "#group,false,false,true,true,false,false,true\r\n" +
        "#default,_result,,,,,,\r\n" +
        ",result,table,_start,_stop,_time,_value,host\r\n" +
        ",,1,1970-01-01T00:00:00Z,1970-01-01T00:00:10Z,1970-01-01T00:00:01Z,,b\r\n" +
        "\r\n",
    );
  });

  it("answers an empty result with the delimiter alone", () => {
    expect(body([])).toBe("\r\n");
  });

  it("turns an error after some rows into an error table and omits the result delimiter", () => {
    const csv = body(
      [
        table("a", "float", [
          [1n * S, 1],
          [2n * S, 2],
        ]),
      ],
      'boom: column "x", really',
      1,
    );
    expect(csv).toBe(
      "#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string\r\n" +
        "#group,false,false,true,true,false,false,true\r\n" +
        "#default,_result,,,,,,\r\n" +
        ",result,table,_start,_stop,_time,_value,host\r\n" +
        ",,0,1970-01-01T00:00:00Z,1970-01-01T00:00:10Z,1970-01-01T00:00:01Z,1,a\r\n" +
        "\r\n" +
        "#datatype,string,string\r\n" +
        "#group,true,true\r\n" +
        "#default,,\r\n" +
        ",error,reference\r\n" +
        ',"boom: column ""x"", really",\r\n',
    );
  });

  it("follows the dialect: without #default the rows carry the result name; without header no label row", () => {
    const csv = [
      ...encodeResult([table("a", "bool", [[1n * S, true]])], undefined, {
        dialect: { header: false, delimiter: ";", annotations: ["group"] },
      }),
    ].join("");
    expect(csv).toBe(
      "#group;false;false;true;true;false;false;true\r\n" +
        ";_result;0;1970-01-01T00:00:00Z;1970-01-01T00:00:10Z;1970-01-01T00:00:01Z;true;a\r\n" +
        "\r\n",
    );
  });
});
